// Package fakenet is a test-only chat network with a bridgev2 connector. It exists to prove the
// integration stack end to end (login flows, ghosts, portals, both message directions) without
// any real network, and to be a template for how a product bridge's tests drive the stack.
// It is not a product bridge.
package fakenet
