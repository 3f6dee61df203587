// Package chatwoot reads the conversations of a Chatwoot database
// (PostgreSQL) as chatkpi conversations, so that chatkpi's report can be
// computed from a Chatwoot installation directly. It is a nested module: the
// PostgreSQL driver (github.com/jackc/pgx/v5) stays out of chatkpi's own
// dependencies.
//
// [Conversations] reads the tables conversations, messages,
// reporting_events, csat_survey_responses, users and inboxes of Chatwoot's
// db/schema.rb (version 2025_08_16_044639). The mapping table — which row
// becomes which event, by which role — is in README.md next to this file,
// with the places where chatkpi's figures differ from Chatwoot's own
// reports. In short: incoming messages are customer messages; outgoing ones
// are by an agent (sender_type User), else by the bot (AgentBot,
// Captain::Assistant, or no sender); private outgoing messages are notes;
// templates are automatic system messages; the input_csat message is a CSAT
// survey sent and a csat_survey_responses row its answer; activity messages
// are not mapped; conversation_resolved, conversation_bot_handoff and
// conversation_opened (after a resolution) become resolutions, handoffs and
// reopens.
//
// Every event gets an Event.ID made of its table and row id
// ("message:4711", "reporting_event:93", "csat_survey_response:12"), so
// that reading the same rows twice gives the same events and chatkpi's
// de-duplication drops the second copy. Times are read as UTC, as Rails
// writes them. A row that cannot be mapped is a [*RowError], never skipped.
package chatwoot
