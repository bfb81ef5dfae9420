// Package remote hands network events to bridgev2.
package remote
