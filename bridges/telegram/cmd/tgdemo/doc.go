// Command tgdemo runs a demo Telegram network on loopback for `make dev`: a demo account whose
// contacts greet it, answer it and post in a group and a channel (package tgfake/demo). It
// writes what the Telegram bridge needs to reach it, and how to log in, as JSON to -out, and
// runs until SIGINT or SIGTERM.
package main
