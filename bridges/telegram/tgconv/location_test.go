package tgconv

import (
	"strings"
	"testing"
)

func TestParseGeoURI(t *testing.T) {
	tests := []struct {
		uri       string
		lat, long float64
		radius    int
		err       string
	}{
		{uri: "geo:48.85837,2.294481", lat: 48.85837, long: 2.294481},
		{uri: "geo:-33.8688,151.2093;u=25", lat: -33.8688, long: 151.2093, radius: 25},
		{uri: "GEO:1,2,300;crs=wgs84;u=12.7", lat: 1, long: 2, radius: 12},
		{uri: " geo:0,0 ", lat: 0, long: 0},
		{uri: "geo:1,2;u=0", lat: 1, long: 2},
		{uri: "", err: "not a geo: URI"},
		{uri: "https://maps.example/?q=1,2", err: "not a geo: URI"},
		{uri: "geo:1", err: "want latitude,longitude"},
		{uri: "geo:1,2,3,4", err: "want latitude,longitude"},
		{uri: "geo:91,0", err: "latitude out of range"},
		{uri: "geo:nan,0", err: "latitude out of range"},
		{uri: "geo:0,181", err: "longitude out of range"},
		{uri: "geo:0,east", err: "longitude out of range"},
	}
	for _, tt := range tests {
		t.Run(tt.uri, func(t *testing.T) {
			p, err := ParseGeoURI(tt.uri)
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("err = %v, want %q", err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			radius, _ := p.GetAccuracyRadius()
			if p.Lat != tt.lat || p.Long != tt.long || radius != tt.radius {
				t.Errorf("got %v,%v r=%d; want %v,%v r=%d", p.Lat, p.Long, radius, tt.lat, tt.long, tt.radius)
			}
		})
	}
}

// FuzzParseGeoURI: any string either fails with an error or gives a point on the globe.
func FuzzParseGeoURI(f *testing.F) {
	for _, seed := range []string{"geo:1,2", "geo:-33.8688,151.2093;u=25", "geo:1,2,3;crs=x", "geo:", "geo:1e308,-1e308"} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, uri string) {
		p, err := ParseGeoURI(uri)
		if err != nil {
			return
		}
		if p.Lat < -90 || p.Lat > 90 || p.Long < -180 || p.Long > 180 {
			t.Errorf("%q gave %v,%v", uri, p.Lat, p.Long)
		}
		if r, ok := p.GetAccuracyRadius(); ok && (r < 1 || r > 1e6) {
			t.Errorf("%q gave radius %d", uri, r)
		}
	})
}
