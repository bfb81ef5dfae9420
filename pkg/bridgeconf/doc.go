// Package bridgeconf generates a bridgev2 bridge's config.yaml and appservice registration the
// same way the bridge binary's own -e (example config) and -g (registration) flags do, and
// points them at a homeserver. The test stack uses it for in-process bridges; the dev stack
// uses [Apply] on configs that the built binaries wrote.
package bridgeconf
