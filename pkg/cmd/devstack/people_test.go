package main

import (
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"gopkg.in/yaml.v3"
	"maunium.net/go/mautrix/appservice"
	"maunium.net/go/mautrix/bridgev2/bridgeconfig"

	"github.com/mxbridges/mxbridges/pkg/bridgeproc"
)

func TestPointHub(t *testing.T) {
	dir := t.TempDir()
	proc := func(name, url, secret string) *bridgeproc.Process {
		p := &bridgeproc.Process{Name: name, ConfigPath: filepath.Join(dir, name+".yaml"),
			Registration: &appservice.Registration{URL: url}, Config: &bridgeconfig.Config{}}
		p.Config.Provisioning.SharedSecret = secret
		if err := os.WriteFile(p.ConfigPath, []byte("network:\n    bridges: []\n    auto_link: true\n"), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	hub := proc("people", "http://127.0.0.1:3", "hub-secret")
	st := &stack{bridges: []*bridgeproc.Process{proc("telegram", "http://127.0.0.1:1", "tg-secret"), hub, proc("whatsapp", "http://127.0.0.1:2", "wa-secret")}}
	if err := st.pointHub(); err != nil {
		t.Fatalf("pointHub: %v", err)
	}
	data, err := os.ReadFile(hub.ConfigPath)
	if err != nil {
		t.Fatal(err)
	}
	var cfg struct {
		Network struct {
			Bridges  []map[string]string `yaml:"bridges"`
			AutoLink bool                `yaml:"auto_link"`
		} `yaml:"network"`
	}
	if err = yaml.Unmarshal(data, &cfg); err != nil {
		t.Fatal(err)
	}
	want := []map[string]string{
		{"network": "telegram", "url": "http://127.0.0.1:1", "shared_secret": "tg-secret"},
		{"network": "whatsapp", "url": "http://127.0.0.1:2", "shared_secret": "wa-secret"},
	}
	if !reflect.DeepEqual(cfg.Network.Bridges, want) || !cfg.Network.AutoLink {
		t.Errorf("hub config network section = %+v, want bridges %v and auto_link kept", cfg.Network, want)
	}
	// Without a hub, nothing is written.
	alone := &stack{bridges: []*bridgeproc.Process{proc("telegram", "http://127.0.0.1:1", "tg-secret")}}
	if err = alone.pointHub(); err != nil {
		t.Errorf("pointHub without a hub: %v", err)
	}
}
