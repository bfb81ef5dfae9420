package loadtest

import (
	"reflect"
	"testing"
)

func TestFleetSize(t *testing.T) {
	tests := []struct {
		name, logins, portals string
		wantLogins            []int
		wantPortals           int
		wantErr               bool
	}{
		{name: "small by default", wantLogins: SmallLogins, wantPortals: SmallPortals},
		{name: "full size", logins: "100,1000", portals: "10000", wantLogins: []int{100, 1000}, wantPortals: 10000},
		{name: "one count, spaces", logins: " 50 ", wantLogins: []int{50}, wantPortals: SmallPortals},
		{name: "no portals", portals: "0", wantLogins: SmallLogins, wantPortals: 0},
		{name: "not a number", logins: "100,many", wantErr: true},
		{name: "zero logins", logins: "0", wantErr: true},
		{name: "descending", logins: "1000,100", wantErr: true},
		{name: "negative portals", portals: "-1", wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Setenv(EnvLogins, tt.logins)
			t.Setenv(EnvStartupPortals, tt.portals)
			logins, portals, err := FleetSize()
			if (err != nil) != tt.wantErr {
				t.Fatalf("err = %v, want error %v", err, tt.wantErr)
			}
			if tt.wantErr {
				return
			}
			if !reflect.DeepEqual(logins, tt.wantLogins) || portals != tt.wantPortals {
				t.Errorf("FleetSize = %v, %d; want %v, %d", logins, portals, tt.wantLogins, tt.wantPortals)
			}
		})
	}
}
