// Package dockertest runs the suite's container images the way an admin does (`make
// docker-test`): both bridges' services as docker/compose.yaml declares them (image,
// environment, named volume, healthcheck) start with an empty /data, write their config and then
// their registration, run next to a real Synapse and PostgreSQL on the host network (the compose
// file's synapse and postgres addresses replaced by theirs), answer a Matrix user's help command,
// and the Telegram image bridges a message both ways through the in-process MTProto test network
// (tgfake). The compose services that need a registry (Synapse's and PostgreSQL's images) are
// checked against the bridges' services instead (TestComposeFile). It has tests only, behind the
// docker build tag.
package dockertest
