// Package postgres gives each test run a fresh PostgreSQL database on the local server and drops
// it afterwards. The server is one that already answers on 127.0.0.1:5432, or one that
// ensure.sh installs and starts.
package postgres
