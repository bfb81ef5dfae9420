// Package dockertest runs the suite's container images the way an admin does (`make
// docker-test`): both bridges' images start with an empty /data, write their config and then
// their registration, run next to a real Synapse and PostgreSQL on the host network, answer a
// Matrix user's help command, and the Telegram image bridges a message both ways through the
// in-process MTProto test network (tgfake). It has tests only, behind the docker build tag.
package dockertest
