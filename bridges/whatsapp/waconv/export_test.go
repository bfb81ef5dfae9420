package waconv

// ContactFileName exposes contactFileName to the external tests.
var ContactFileName = contactFileName
