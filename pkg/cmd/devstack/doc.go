// Command devstack is `make dev`: a local stack for a newcomer. It starts Synapse on loopback,
// registers and runs every bridge binary it is given on the bridge's embedded SQLite default,
// creates a ready Matrix user, prints how to log in, and stays up until Ctrl-C, removing
// everything it made when it stops.
package main
