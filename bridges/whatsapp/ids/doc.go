// Package ids maps WhatsApp JIDs and message IDs to bridgev2's network IDs and back.
//
//   - A portal is a chat JID without device: "4915112345678@s.whatsapp.net" or
//     "120363000000000000@g.us". One-to-one chats belong to one login (receiver = login);
//     groups are shared by every login in them.
//   - A ghost is a user: the phone number for phone-number JIDs ("4915112345678"), "lid-<n>"
//     for hidden-number (LID) JIDs.
//   - A login is the user part of the account's phone-number JID.
//   - A message is "<chat JID>:<sender JID>:<WhatsApp message ID>", because WhatsApp message
//     IDs are only unique per chat and sender.
package ids
