// Command mxbridges-telegram is the Telegram bridge of the mxbridges suite: a Matrix
// appservice that puppets Telegram accounts through gotd/td.
package main
