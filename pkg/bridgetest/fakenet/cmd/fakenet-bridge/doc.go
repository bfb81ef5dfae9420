// Command fakenet-bridge is the test-only fakenet connector as a bridge binary, so that tests of
// the binary path (config generation with -e/-g, process start, stop and kill) and of the dev
// stack run without any product bridge.
package main
