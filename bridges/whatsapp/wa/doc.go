// Package wa is the seam between the WhatsApp connector and whatsmeow. The connector uses
// whatsmeow only through [Client], whose production implementation is *whatsmeow.Client
// itself; tests use wafake.Client, which feeds real events.* and waE2E.Message values into the
// same event handlers the real client calls.
package wa
