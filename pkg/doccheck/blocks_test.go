package doccheck

import (
	"os"
	"path/filepath"
	"reflect"
	"testing"
)

func TestCommands(t *testing.T) {
	for _, tc := range []struct {
		name, text string
		want       []Command
	}{
		{"one a line with comments", "make dev    # local stack\nmake test", []Command{{1, "make dev", false}, {2, "make test", false}}},
		{"continuation", "bin/mxbridges init \\\n    --homeserver http://x \\\n    --out /etc/mxbridges   # prints\nbin/mxbridges doctor /etc/mxbridges",
			[]Command{{1, "bin/mxbridges init --homeserver http://x --out /etc/mxbridges", false}, {4, "bin/mxbridges doctor /etc/mxbridges", false}}},
		{"steps", "a -e\n# edit config.yaml: homeserver\n\nb -g", []Command{{1, "a -e", false}, {2, "edit config.yaml: homeserver", true}, {4, "b -g", false}}},
		{"hash in quotes stays", `printf 'a # b\n' > x # c`, []Command{{1, `printf 'a # b\n' > x`, false}}},
		{"hash without a blank stays", "curl http://x/#frag", []Command{{1, "curl http://x/#frag", false}}},
		{"unfinished continuation", "a \\", []Command{{1, "a", false}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := Commands(tc.text); !reflect.DeepEqual(got, tc.want) {
				t.Errorf("Commands(%q) = %+v, want %+v", tc.text, got, tc.want)
			}
		})
	}
}

func TestBlocks(t *testing.T) {
	path := filepath.Join(t.TempDir(), "x.md")
	md := "# T\n\n```sh\nmake dev\n```\n\n## U\n\n```yaml\n# not a heading\nb: 2\n```\n"
	if err := os.WriteFile(path, []byte(md), 0o600); err != nil {
		t.Fatal(err)
	}
	got, err := Blocks(path)
	want := []Block{{File: path, Line: 3, Lang: "sh", Text: "make dev", Section: "T"}, {File: path, Line: 9, Lang: "yaml", Text: "# not a heading\nb: 2", Section: "U"}}
	if err != nil || !reflect.DeepEqual(got, want) {
		t.Errorf("Blocks = %+v, %v; want %+v", got, err, want)
	}
	if err = os.WriteFile(path, []byte("```sh\nmake dev\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err = Blocks(path); err == nil {
		t.Error("an unclosed fence was accepted")
	}
}
