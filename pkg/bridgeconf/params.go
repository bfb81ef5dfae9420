package bridgeconf

import (
	"fmt"
	"net"
	"os"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

// Params place a bridge next to a homeserver. Empty fields keep the example config's value.
type Params struct {
	// HomeserverURL is the client-server API URL the bridge talks to.
	HomeserverURL string
	// ServerName is the homeserver's Matrix server name (homeserver.domain).
	ServerName string
	// ListenHost and ListenPort are where the bridge's appservice HTTP server listens; the
	// registration's URL points there.
	ListenHost string
	ListenPort int
	// ID is the appservice ID; it must be unique per homeserver.
	ID string
	// BotUsername is the localpart of the bridge bot.
	BotUsername string
	// UsernameTemplate makes ghost localparts, e.g. "whatsapp_{{.}}".
	UsernameTemplate string
	// DatabaseType is "postgres" or "sqlite3-fk-wal"; DatabaseURI the matching URI.
	DatabaseType string
	DatabaseURI  string
	// Permissions maps "*", a server name or a user ID to relay, commands, user or admin.
	Permissions map[string]string
	// LogFile, if set, sends the bridge's log (JSON, debug level) to this file only.
	LogFile string
	// Extra sets any other option by dotted path, e.g. "bridge.relay.enabled": true.
	Extra map[string]any
}

// Settings flattens p into dotted-path settings for [Apply].
func (p Params) Settings() map[string]any {
	s := map[string]any{}
	set := func(key string, v any, ok bool) {
		if ok {
			s[key] = v
		}
	}
	set("homeserver.address", p.HomeserverURL, p.HomeserverURL != "")
	set("homeserver.domain", p.ServerName, p.ServerName != "")
	set("homeserver.software", "standard", p.HomeserverURL != "")
	if p.ListenPort != 0 {
		host := p.ListenHost
		if host == "" {
			host = "127.0.0.1"
		}
		s["appservice.hostname"] = host
		s["appservice.port"] = p.ListenPort
		s["appservice.address"] = "http://" + net.JoinHostPort(host, strconv.Itoa(p.ListenPort))
	}
	set("appservice.id", p.ID, p.ID != "")
	set("appservice.bot.username", p.BotUsername, p.BotUsername != "")
	set("appservice.username_template", p.UsernameTemplate, p.UsernameTemplate != "")
	set("database.type", p.DatabaseType, p.DatabaseType != "")
	set("database.uri", p.DatabaseURI, p.DatabaseURI != "")
	set("bridge.permissions", p.Permissions, len(p.Permissions) > 0)
	if p.LogFile != "" {
		s["logging.min_level"] = "debug"
		s["logging.writers"] = []map[string]any{{"type": "file", "format": "json", "filename": p.LogFile}}
	}
	for k, v := range p.Extra {
		s[k] = v
	}
	return s
}

// Apply sets dotted-path options in the YAML file at path, keeping its comments and layout.
// Missing keys are created; a value replaces whatever the key held.
func Apply(path string, settings map[string]any) error {
	data, err := os.ReadFile(path)
	if err != nil {
		return fmt.Errorf("read config: %w", err)
	}
	var doc yaml.Node
	if err = yaml.Unmarshal(data, &doc); err != nil {
		return fmt.Errorf("parse config %s: %w", path, err)
	}
	if doc.Kind != yaml.DocumentNode || len(doc.Content) == 0 || doc.Content[0].Kind != yaml.MappingNode {
		return fmt.Errorf("parse config %s: top level is not a mapping", path)
	}
	for key, value := range settings {
		if err = setPath(doc.Content[0], strings.Split(key, "."), value); err != nil {
			return fmt.Errorf("set %s: %w", key, err)
		}
	}
	out, err := yaml.Marshal(&doc)
	if err != nil {
		return fmt.Errorf("marshal config: %w", err)
	}
	if err = os.WriteFile(path, out, 0o600); err != nil {
		return fmt.Errorf("write config: %w", err)
	}
	return nil
}

func setPath(m *yaml.Node, path []string, value any) error {
	if m.Kind != yaml.MappingNode {
		return fmt.Errorf("%q is inside a %s, not a mapping", path[0], kindName(m.Kind))
	}
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value != path[0] {
			continue
		}
		if len(path) == 1 {
			return encodeInto(m.Content[i], m.Content[i+1], value)
		}
		return setPath(m.Content[i+1], path[1:], value)
	}
	key := &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: path[0]}
	child := &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map"}
	m.Content = append(m.Content, key, child)
	if len(path) == 1 {
		return encodeInto(key, child, value)
	}
	return setPath(child, path[1:], value)
}

// encodeInto replaces the value of key, keeping the comments attached to it. A line comment
// stays on the key's line: on a scalar it belongs to the value, on a map or list to the key.
func encodeInto(key, node *yaml.Node, value any) error {
	var fresh yaml.Node
	if err := fresh.Encode(value); err != nil {
		return fmt.Errorf("encode value: %w", err)
	}
	fresh.HeadComment, fresh.LineComment, fresh.FootComment = node.HeadComment, node.LineComment, node.FootComment
	if fresh.Kind == yaml.MappingNode || fresh.Kind == yaml.SequenceNode {
		if key.LineComment == "" {
			key.LineComment = fresh.LineComment
		}
		fresh.LineComment = ""
	}
	*node = fresh
	return nil
}

func kindName(k yaml.Kind) string {
	switch k {
	case yaml.SequenceNode:
		return "list"
	case yaml.ScalarNode:
		return "scalar"
	default:
		return "non-mapping node"
	}
}
