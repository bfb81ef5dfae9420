package tgfake

// DialogCalls is how many times the account listed its chats (messages.getDialogs). The
// bridge does so once its updates loop runs after each connect, so a count that grew after a
// login says that the account's updates now reach the bridge.
func (n *Network) DialogCalls(acct *Account) int {
	n.mu.Lock()
	defer n.mu.Unlock()
	return n.dialogCalls[acct.User.ID]
}

// countDialogCall counts a messages.getDialogs call. Callers hold n.mu.
func (n *Network) countDialogCall(account int64) {
	if n.dialogCalls == nil {
		n.dialogCalls = map[int64]int{}
	}
	n.dialogCalls[account]++
}
