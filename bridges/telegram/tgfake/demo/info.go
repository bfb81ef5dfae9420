package demo

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
)

// Info is what a bridge and a newcomer need to use the demo network. tgdemo writes it as JSON
// for devstack, which applies Config to the bridge named Bridge and prints how to log in.
type Info struct {
	// Bridge is the bridge the network is for ("telegram").
	Bridge string `json:"bridge"`
	// Config holds the bridge's config options to reach the network, by dotted path.
	Config map[string]any `json:"config"`
	// Phone (with a leading +) and Code log the demo account in.
	Phone string `json:"phone"`
	Code  string `json:"code"`
	// Account, Contacts, Group and Channel name who and what the newcomer will see.
	Account  string   `json:"account"`
	Contacts []string `json:"contacts"`
	Group    string   `json:"group"`
	Channel  string   `json:"channel"`
}

// Info describes the running network.
func (d *Demo) Info() Info {
	dcs, keys := d.Net.Servers()
	info := Info{
		Bridge: "telegram",
		Config: map[string]any{
			"network.api_id":              APIID,
			"network.api_hash":            APIHash,
			"network.servers.dcs":         dcs,
			"network.servers.public_keys": keys,
		},
		Phone:   d.Phone(),
		Code:    d.Code(),
		Account: AccountName,
		Group:   GroupTitle,
		Channel: ChannelTitle,
	}
	for _, c := range d.Contacts {
		info.Contacts = append(info.Contacts, c.FirstName+" "+c.LastName)
	}
	return info
}

// WriteInfo writes info as JSON to path, whole or not at all: a reader that polls for the
// file never sees half of it.
func WriteInfo(path string, info Info) error {
	data, err := json.MarshalIndent(info, "", "  ")
	if err != nil {
		return fmt.Errorf("encode demo info: %w", err)
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), ".tgdemo-*")
	if err != nil {
		return fmt.Errorf("create demo info: %w", err)
	}
	defer os.Remove(tmp.Name())
	if _, err = tmp.Write(append(data, '\n')); err != nil {
		_ = tmp.Close()
		return fmt.Errorf("write demo info: %w", err)
	}
	if err = tmp.Close(); err != nil {
		return fmt.Errorf("write demo info: %w", err)
	}
	if err = os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("move demo info into place: %w", err)
	}
	return nil
}
