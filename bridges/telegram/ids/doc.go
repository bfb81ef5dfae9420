// Package ids maps Telegram peers and messages to bridgev2's network IDs and back.
//
//   - A private chat's portal is "user:<user id>", owned by the login that sees it; a basic
//     group's is "chat:<chat id>", also per login.
//   - A supergroup's or channel's portal is "channel:<channel id>" with no receiver: its messages
//     are numbered per channel, so every login in it shares one room.
//   - A ghost is a Telegram user ID ("<id>"); a login is its own user ID. A channel posting in its
//     own name (or a supergroup's anonymous admin) is the ghost "channel-<channel id>".
//   - A message is "<message id>" in private chats and basic groups (Telegram numbers those per
//     account) and "<channel id>.<message id>" in channels and supergroups (numbered per channel).
package ids
