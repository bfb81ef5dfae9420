package msgconv

// ContactFileName exposes contactFileName to the external tests.
var ContactFileName = contactFileName
