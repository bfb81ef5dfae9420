// Package provision is the people hub's HTTP client for one bridge's provisioning API
// (bridgev2's /_matrix/provision/v3): the contact list and identifier resolution of a Matrix
// user's login, authenticated with the bridge's provisioning shared secret as a Bearer token
// and the user named by the user_id query parameter. Every failure is an *Error whose Kind
// says what went wrong (bridge down, provisioning off, secret refused, not logged in) so that
// the hub can word it for the user.
package provision
