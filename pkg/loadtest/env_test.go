package loadtest

import (
	"reflect"
	"testing"
	"time"
)

func TestFromEnv(t *testing.T) {
	tests := []struct {
		name                      string
		samples, messages, portal string
		in                        Options
		want                      Options
		wantErr                   bool
	}{
		{name: "small by default", want: Small},
		{name: "caller's sizes kept", in: Options{Samples: 1, Messages: 2, Portals: 2}, want: Options{Samples: 1, Messages: 2, Portals: 2}},
		{name: "environment wins", samples: "200", messages: "10000", portal: "100", in: Options{Samples: 1}, want: Options{Samples: 200, Messages: 10000, Portals: 100}},
		{name: "not a number", samples: "many", wantErr: true},
		{name: "zero", messages: "0", wantErr: true},
		{name: "more portals than messages", messages: "3", portal: "4", wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Setenv(EnvSamples, tt.samples)
			t.Setenv(EnvMessages, tt.messages)
			t.Setenv(EnvPortals, tt.portal)
			got, err := FromEnv(tt.in)
			if (err != nil) != tt.wantErr {
				t.Fatalf("err = %v, want error %v", err, tt.wantErr)
			}
			if !tt.wantErr && !reflect.DeepEqual(got, tt.want) {
				t.Errorf("FromEnv = %+v, want %+v", got, tt.want)
			}
		})
	}
}

func TestResultsRoundTrip(t *testing.T) {
	dir := t.TempDir()
	want := []Result{
		{Bridge: "telegram", Messages: 10, Portals: 2, ToMatrix: Summary{N: 3, P50: time.Millisecond}, ToMatrixRate: 12.5},
		{Bridge: "whatsapp", RSSPerLoginMiB: 0.75, StartupSeconds: 1.5},
	}
	for _, r := range want {
		if err := WriteResult(dir, r); err != nil {
			t.Fatal(err)
		}
	}
	got, err := ReadResults(dir)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("ReadResults = %+v, want %+v", got, want)
	}
}

func TestResultPartsMergePerBridge(t *testing.T) {
	dir := t.TempDir()
	main := Result{Bridge: "whatsapp", Messages: 40, Portals: 4, ToMatrix: Summary{N: 5, P50: time.Millisecond}, ToMatrixRate: 20}
	memory := Result{Bridge: "whatsapp", RSSPerLoginMiB: 0.8}
	startup := Result{Bridge: "whatsapp", StartupSeconds: 2.5}
	other := Result{Bridge: "telegram", StartupSeconds: 1}
	if err := WriteResult(dir, main); err != nil {
		t.Fatal(err)
	}
	for part, r := range map[string]Result{"memory": memory, "startup": startup, "startup2": other} {
		if err := WriteResultPart(dir, part, r); err != nil {
			t.Fatal(err)
		}
	}
	got, err := ReadResults(dir)
	if err != nil {
		t.Fatal(err)
	}
	want := []Result{
		{Bridge: "telegram", StartupSeconds: 1},
		{Bridge: "whatsapp", Messages: 40, Portals: 4, ToMatrix: Summary{N: 5, P50: time.Millisecond}, ToMatrixRate: 20, RSSPerLoginMiB: 0.8, StartupSeconds: 2.5},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("ReadResults = %+v,\nwant %+v", got, want)
	}
}
