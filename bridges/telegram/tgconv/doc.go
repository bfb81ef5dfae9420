// Package tgconv is the Telegram bridge's pure conversion layer: Telegram TL types (from
// github.com/gotd/td/tg) in, bridgev2 and Matrix values out, and back. It does no I/O, holds no
// client and touches no database; the connector calls it and does the rest.
//
//   - rich media without a file (locations, contacts, dice, games, ...): [RichMedia]
//   - service messages shown as notices: [ServiceNotice]
//   - photos and documents: [LargestPhotoSize], [ClassifyDocument], voice waveforms
//     ([DecodeWaveform], [EncodeWaveform]) and [HumanSize]
//   - polls: [PollStart], [Poll.Chosen], [Poll.ResultsText], [PollResponsePart], [PollEndParts]
//   - replies, threads and forum topics: [ApplyReplyHeader], [TopicNotice], [TopicMessage],
//     [InputReplyTo]
//   - forwards: [ForwardOrigin], [WithForward]
//   - Matrix locations: [ParseGeoURI]
//
// Every converter is fuzzed: none may panic on any input Telegram or Matrix can send.
package tgconv
