// Command mxbridges sets up and checks the suite's bridges for an admin.
//
//	mxbridges init --homeserver URL --domain D [--db URI] [--bridges whatsapp,telegram] --out DIR
//	mxbridges doctor DIR
//	mxbridges status DIR
//
// init writes every bridge's config.yaml and registration.yaml under DIR/<bridge>/, through each
// bridge binary's own -e and -g flags, and prints what to add to Synapse's homeserver.yaml.
// doctor checks each bridge set up in DIR: its config, the homeserver, that the homeserver
// reaches the bridge (appservice ping), the database, the bot's profile and the permissions; it
// prints a verdict per check and exits non-zero when one fails. status lists every login of
// each bridge with its live state, from the bridge's database and provisioning API.
package main
