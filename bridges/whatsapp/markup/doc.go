// Package markup converts between WhatsApp's text formatting and Matrix HTML.
//
// WhatsApp marks up plain text: *bold*, _italic_, ~strikethrough~, `inline code`, ```code
// blocks```, "> " quotes, "* "/"- " bullet lists and "1. " numbered lists, and mentions written
// as @<number> with the mentioned JIDs carried beside the text. ToHTML turns that into the HTML
// subset Matrix clients render; FromHTML turns Matrix HTML back into WhatsApp text.
package markup
