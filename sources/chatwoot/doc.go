// Package chatwoot reads the conversations of a Chatwoot database
// (PostgreSQL) as chatkpi conversations, so that chatkpi's report can be
// computed from a Chatwoot installation directly. It is a nested module: the
// PostgreSQL driver (github.com/jackc/pgx/v5) stays out of chatkpi's own
// dependencies.
//
// [Conversations] reads conversations, messages, reporting_events,
// csat_survey_responses, users and inboxes — the tables of Chatwoot's
// db/schema.rb, version 2025_08_16_044639 — and maps them as follows. Every
// event gets an Event.ID made of its table and row id ("message:4711",
// "reporting_event:93", "csat_survey_response:12"), so that reading the same
// rows twice gives the same events and chatkpi's de-duplication drops the
// second copy.
//
//	Chatwoot row                                         chatkpi
//	---------------------------------------------------  -----------------------------------------------
//	conversations                                        one conversation: Info.ID = conversations.id;
//	                                                     Start = created_at; Customer = contact_id;
//	                                                     Dims inbox = inboxes.name, account = account_id;
//	                                                     Channel from inboxes.channel_type (below)
//	conversations.campaign_id set                        Outbound, Source "campaign ID"
//	first public message by a User before any incoming   Outbound (an agent started the conversation)
//	messages message_type 0 (incoming)                   Message by Customer
//	messages 1 (outgoing), sender_type User              Message by Agent, Agent "NAME #USER_ID"
//	messages 1, sender_type AgentBot or                  Message by Bot
//	  Captain::Assistant, or no sender (an integration
//	  such as Dialogflow)
//	messages 1, private                                  the same, Private (an internal note, not a reply)
//	messages 3 (template: greeting, out of office,       Message by System, Automatic (never a reply)
//	  e-mail collection)
//	messages content_type 9 (input_csat)                 SurveySent, Survey csat, by System
//	messages 2 (activity: "assigned to", "resolved by")  not mapped: these are the platform's log lines,
//	                                                     and their facts come from reporting_events
//	csat_survey_responses                                Rating, Survey csat, Score = rating (1-5), at
//	                                                     created_at, by Customer
//	reporting_events conversation_resolved               Resolved at event_end_time; by Agent (the
//	                                                     assignee, user_id) when there is one, else by
//	                                                     System
//	reporting_events conversation_bot_handoff            Handoff by Bot at event_end_time
//	reporting_events conversation_opened                 Reopened, when it follows a resolution; the
//	                                                     first opening (pending to open) is dropped
//	other reporting_events (first_response, reply_time,  not read: they are Chatwoot's own derived
//	  conversation_bot_resolved, ...)                    figures; chatkpi computes its own from the
//	                                                     events (conversation_bot_resolved always
//	                                                     accompanies a conversation_resolved)
//
// inboxes.channel_type: Channel::WebWidget → "chat", Channel::Email →
// "email", Channel::Api → "api", Channel::FacebookPage, Channel::Instagram,
// Channel::TwitterProfile, Channel::Tiktok → "social", Channel::Whatsapp,
// Channel::Sms, Channel::TwilioSms, Channel::Telegram, Channel::Line →
// "messaging", Channel::Voice → "call"; any other type is its name in lower
// case without "Channel::".
//
// Times: Rails writes datetimes in UTC into columns without a time zone; the
// source reads them as UTC. Events are put in time order; events at the same
// instant keep the order messages, reporting events, CSAT answers (and the
// row order within each). Agents are named by display name (else name) and
// user id, so that two users with the same name stay two agents; a deleted
// user is "#ID".
//
// Rows the source cannot map are errors ([*RowError], naming the table, the
// row id, the conversation and the column), not skipped: an unknown
// message_type or sender_type, an incoming message by a User or marked
// private, an outgoing message by a Contact, a CSAT rating outside 1–5.
//
// What is not read: messages.status (a failed delivery is still a reply),
// the assignment history (activity messages and audits: a transfer shows as
// a reply by another agent), teams, labels, SLA tables, business hours
// (inboxes.working_hours; give chatkpi a calendar instead).
package chatwoot
