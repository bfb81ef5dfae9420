// Command mxbridges-whatsapp is the WhatsApp bridge of the mxbridges suite: a Matrix
// appservice that puppets WhatsApp accounts through whatsmeow.
package main
