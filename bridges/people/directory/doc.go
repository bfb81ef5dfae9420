// Package directory is the people hub's pure linking logic: it turns the contacts that every
// bridge lists for one Matrix user into people (one person, every network), links contacts
// that share a phone number (normalised to E.164), suggests links for the same name or
// username, and carries out the user's own changes (link, unlink, rename, prefer, forget).
// It does no I/O: package connector loads a user's directory from the database, calls these
// functions and stores the result.
package directory
