// Package bridgekit is the root of the runtime code that two or more bridges of the suite share.
// Everything under it may be linked into a bridge binary; nothing under it may import the test
// stack (pkg/synapse, pkg/postgres, pkg/bridgetest, pkg/matrixtest, ...) or a network fake.
// pkg/deptest checks both rules for every bridge binary.
//
//   - status: message-status errors that a Matrix sender sees (refused, failed, not connected).
//   - remote: handing network events to bridgev2 and logging what it did not accept.
//   - presence: a ghost's Matrix presence (bridgev2 has no presence API).
package bridgekit
