// Package markup converts between Telegram formatted text (a plain string plus
// a list of message entities) and the HTML subset used for Matrix
// formatted_body.
//
// Telegram describes formatting with entities whose offsets and lengths are
// counted in UTF-16 code units, while Go strings are UTF-8. Everything in this
// package converts between the two carefully: characters outside the Basic
// Multilingual Plane (most emoji) count as two units, entity boundaries that
// would split such a surrogate pair are widened to cover the whole character,
// and out-of-range entities are clamped or dropped instead of causing a panic.
//
// [ToHTML] turns Telegram text and entities into well-nested HTML, even when
// the entities overlap without nesting. [FromHTML] turns Matrix HTML into plain
// text and entities that Telegram accepts.
package markup
