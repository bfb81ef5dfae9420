// Package waconv converts messages between WhatsApp (waE2E protobufs) and Matrix event
// content. It knows nothing of portals or databases: callers give it a Users to map people.
package waconv
