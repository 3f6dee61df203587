-- Fifteen conversations of account 1 written by hand, one situation each (see
-- TestFixture in chatwoot_test.go for the figures they must give). All on
-- Monday 2025-03-03, times in UTC as Rails stores them.
--
--  1 bot only, resolved by the bot        9 bot replies twice, customer gone
--  2 bot, handoff, agent, resolved       10 campaign: the business wrote first
--  3 transfer from Alice to Bob          11 greeting only: customer never wrote
--  4 resolved, reopened, resolved        12 e-mail, bot private note, handoff
--  5 CSAT answered 5                     13 integration bot (no sender), handoff
--  6 private note first, CSAT 2          14 nobody replied
--  7 CSAT sent, never answered           15 handoff, then resolved without a reply
--  8 greeting template, agent, open

INSERT INTO users (id, uid, name, display_name, email, created_at, updated_at) VALUES
  (1, 'alice@example.com', 'Alice', NULL, 'alice@example.com', '2025-01-01', '2025-01-01'),
  (2, 'bob@example.com', 'Robert', 'Bob B.', 'bob@example.com', '2025-01-01', '2025-01-01');

INSERT INTO inboxes (id, channel_id, account_id, name, channel_type, created_at, updated_at) VALUES
  (1, 1, 1, 'Website', 'Channel::WebWidget', '2025-01-01', '2025-01-01'),
  (2, 1, 1, 'Support mail', 'Channel::Email', '2025-01-01', '2025-01-01');

INSERT INTO conversations (id, display_id, account_id, inbox_id, status, assignee_id, contact_id, campaign_id, created_at, updated_at, priority) VALUES
  ( 1,  1, 1, 1, 1, NULL, 101, NULL, '2025-03-03 09:00:00', '2025-03-03 09:05:00', NULL),
  ( 2,  2, 1, 1, 1, 1,    102, NULL, '2025-03-03 10:00:00', '2025-03-03 10:10:00', 2),
  ( 3,  3, 1, 1, 1, 2,    103, NULL, '2025-03-03 11:00:00', '2025-03-03 11:20:00', NULL),
  ( 4,  4, 1, 1, 1, 2,    104, NULL, '2025-03-03 12:00:00', '2025-03-03 14:00:00', NULL),
  ( 5,  5, 1, 1, 1, 1,    105, NULL, '2025-03-03 15:00:00', '2025-03-03 15:10:00', 0),
  ( 6,  6, 1, 1, 1, 1,    106, NULL, '2025-03-03 16:00:00', '2025-03-03 16:20:00', NULL),
  ( 7,  7, 1, 1, 1, 2,    107, NULL, '2025-03-03 17:00:00', '2025-03-03 17:05:00', NULL),
  ( 8,  8, 1, 1, 0, 1,    108, NULL, '2025-03-03 08:00:00', '2025-03-03 08:02:10', NULL),
  ( 9,  9, 1, 1, 2, NULL, 109, NULL, '2025-03-03 18:00:00', '2025-03-03 18:00:04', NULL),
  (10, 10, 1, 1, 1, 1,    110, 7,    '2025-03-03 19:00:00', '2025-03-03 19:20:00', NULL),
  (11, 11, 1, 1, 1, NULL, 111, NULL, '2025-03-03 20:00:00', '2025-03-03 20:30:00', NULL),
  (12, 12, 1, 2, 0, 2,    112, NULL, '2025-03-03 21:00:00', '2025-03-03 21:30:20', 3),
  (13, 13, 1, 1, 1, 1,    113, NULL, '2025-03-03 22:00:00', '2025-03-03 22:20:00', NULL),
  (14, 14, 1, 1, 2, NULL, 114, NULL, '2025-03-03 23:00:00', '2025-03-03 23:00:00', NULL),
  (15, 15, 1, 1, 1, 1,    115, NULL, '2025-03-03 23:30:00', '2025-03-03 23:40:00', NULL);

-- message_type: 0 incoming, 1 outgoing, 2 activity, 3 template;
-- content_type 9 is input_csat.
INSERT INTO messages (id, conversation_id, message_type, content_type, private, sender_type, sender_id, content, account_id, inbox_id, created_at, updated_at)
SELECT v.id, v.conv, v.mtype, v.ctype, v.private, v.stype, v.sid, v.content, 1, c.inbox_id, v.at::timestamp, v.at::timestamp
FROM (VALUES
  ( 1,  1, 0, 0, false, 'Contact',  101, 'where is my order?',             '2025-03-03 09:00:00'),
  ( 2,  1, 1, 0, false, 'AgentBot', 1,   'it ships tomorrow',              '2025-03-03 09:00:05'),
  ( 3,  1, 0, 0, false, 'Contact',  101, 'thanks',                         '2025-03-03 09:01:00'),
  ( 4,  1, 1, 0, false, 'AgentBot', 1,   'anything else?',                 '2025-03-03 09:01:10'),
  ( 5,  1, 2, 0, false, NULL,       NULL,'Conversation was marked resolved by Bot', '2025-03-03 09:05:00'),
  ( 6,  2, 0, 0, false, 'Contact',  102, 'refund please',                  '2025-03-03 10:00:00'),
  ( 7,  2, 1, 0, false, 'AgentBot', 1,   'I can help with that',           '2025-03-03 10:00:03'),
  ( 8,  2, 0, 0, false, 'Contact',  102, 'a human, please',                '2025-03-03 10:00:30'),
  ( 9,  2, 2, 0, false, NULL,       NULL,'Transferred to a human agent',   '2025-03-03 10:01:00'),
  (10,  2, 1, 0, false, 'User',     1,   'Alice here',                     '2025-03-03 10:04:00'),
  (11,  2, 0, 0, false, 'Contact',  102, 'order 42',                       '2025-03-03 10:05:00'),
  (12,  2, 1, 0, false, 'User',     1,   'refunded',                       '2025-03-03 10:06:00'),
  (13,  3, 0, 0, false, 'Contact',  103, 'invoice wrong',                  '2025-03-03 11:00:00'),
  (14,  3, 1, 0, false, 'User',     1,   'let me check',                   '2025-03-03 11:02:00'),
  (15,  3, 2, 0, false, NULL,       NULL,'Assigned to Bob B. by Alice',    '2025-03-03 11:03:00'),
  (16,  3, 0, 0, false, 'Contact',  103, 'ok',                             '2025-03-03 11:04:00'),
  (17,  3, 1, 0, false, 'User',     2,   'fixed',                          '2025-03-03 11:10:00'),
  (18,  4, 0, 0, false, 'Contact',  104, 'password reset',                 '2025-03-03 12:00:00'),
  (19,  4, 1, 0, false, 'User',     2,   'link sent',                      '2025-03-03 12:01:00'),
  (20,  4, 2, 0, false, NULL,       NULL,'Conversation was marked resolved by Bob B.', '2025-03-03 12:05:00'),
  (21,  4, 0, 0, false, 'Contact',  104, 'link expired',                   '2025-03-03 13:00:00'),
  (22,  4, 2, 0, false, NULL,       NULL,'Conversation was reopened',      '2025-03-03 13:00:00'),
  (23,  4, 1, 0, false, 'User',     2,   'new link',                       '2025-03-03 13:30:00'),
  (24,  5, 0, 0, false, 'Contact',  105, 'change address',                 '2025-03-03 15:00:00'),
  (25,  5, 1, 0, false, 'User',     1,   'done',                           '2025-03-03 15:03:00'),
  (26,  5, 3, 9, false, NULL,       NULL,'Please rate the conversation',   '2025-03-03 15:10:01'),
  (27,  6, 0, 0, false, 'Contact',  106, 'broken item',                    '2025-03-03 16:00:00'),
  (28,  6, 1, 0, true,  'User',     1,   'note: check the warehouse',      '2025-03-03 16:01:00'),
  (29,  6, 1, 0, false, 'User',     1,   'replacement sent',               '2025-03-03 16:05:00'),
  (30,  6, 3, 9, false, NULL,       NULL,'Please rate the conversation',   '2025-03-03 16:20:01'),
  (31,  7, 0, 0, false, 'Contact',  107, 'opening hours?',                 '2025-03-03 17:00:00'),
  (32,  7, 1, 0, false, 'User',     2,   '9 to 5',                         '2025-03-03 17:00:40'),
  (33,  7, 3, 9, false, NULL,       NULL,'Please rate the conversation',   '2025-03-03 17:05:01'),
  (34,  8, 3, 0, false, NULL,       NULL,'Hi! We reply in a few minutes',  '2025-03-03 08:00:00'),
  (35,  8, 0, 0, false, 'Contact',  108, 'is it in stock?',                '2025-03-03 08:00:10'),
  (36,  8, 1, 0, false, 'User',     1,   'yes',                            '2025-03-03 08:02:10'),
  (37,  9, 0, 0, false, 'Contact',  109, 'hello',                          '2025-03-03 18:00:00'),
  (38,  9, 1, 0, false, 'AgentBot', 1,   'hi, how can I help?',            '2025-03-03 18:00:02'),
  (39,  9, 1, 0, false, 'AgentBot', 1,   'choose a topic',                 '2025-03-03 18:00:04'),
  (40, 10, 1, 0, false, 'User',     1,   'your plan renews soon',          '2025-03-03 19:00:00'),
  (41, 10, 0, 0, false, 'Contact',  110, 'cancel it',                      '2025-03-03 19:10:00'),
  (42, 10, 1, 0, false, 'User',     1,   'cancelled',                      '2025-03-03 19:11:00'),
  (43, 11, 3, 0, false, NULL,       NULL,'Hi! We reply in a few minutes',  '2025-03-03 20:00:00'),
  (44, 11, 2, 0, false, NULL,       NULL,'Conversation was marked resolved due to inactivity', '2025-03-03 20:30:00'),
  (45, 12, 0, 0, false, 'Contact',  112, 'contract question',              '2025-03-03 21:00:00'),
  (46, 12, 1, 0, false, 'AgentBot', 1,   'let me find someone',            '2025-03-03 21:00:10'),
  (47, 12, 1, 0, true,  'AgentBot', 1,   'handoff: legal question',        '2025-03-03 21:00:20'),
  (48, 12, 1, 0, false, 'User',     2,   'Bob from legal',                 '2025-03-03 21:30:20'),
  (49, 13, 0, 0, false, 'Contact',  113, 'track parcel',                   '2025-03-03 22:00:00'),
  (50, 13, 1, 0, false, NULL,       NULL,'which parcel?',                  '2025-03-03 22:00:01'),
  (51, 13, 1, 0, false, 'User',     1,   'found it',                       '2025-03-03 22:10:30'),
  (52, 14, 0, 0, false, 'Contact',  114, 'anyone there?',                  '2025-03-03 23:00:00'),
  (53, 14, 2, 0, false, NULL,       NULL,'Conversation unassigned',        '2025-03-03 23:00:00'),
  (54, 15, 0, 0, false, 'Contact',  115, 'upgrade plan',                   '2025-03-03 23:30:00'),
  (55, 15, 1, 0, false, 'AgentBot', 1,   'an agent will help',             '2025-03-03 23:30:05')
) AS v(id, conv, mtype, ctype, private, stype, sid, content, at)
JOIN conversations c ON c.id = v.conv;

-- As Chatwoot's ReportingEventListener writes them: the value is Chatwoot's
-- own figure in seconds; conversation_opened is also written for the first
-- opening (2 at the handoff, 4 at creation); conversation_bot_resolved
-- accompanies the resolution of 1 and, through the fault of chatwoot#14032,
-- of 15, which an agent resolved after the handoff without writing.
INSERT INTO reporting_events (id, name, value, account_id, inbox_id, user_id, conversation_id, event_start_time, event_end_time, created_at, updated_at)
SELECT v.id, v.name, v.value, 1, c.inbox_id, v.uid, v.conv, c.created_at, v.at::timestamp, v.at::timestamp, v.at::timestamp
FROM (VALUES
  ( 1, 'conversation_resolved',     300.0, NULL::integer,  1, '2025-03-03 09:05:00'),
  ( 2, 'conversation_bot_resolved', 300.0, NULL,  1, '2025-03-03 09:05:00'),
  ( 3, 'conversation_opened',        60.0, NULL,  2, '2025-03-03 10:01:00'),
  ( 4, 'conversation_bot_handoff',   60.0, 1,     2, '2025-03-03 10:01:00'),
  ( 5, 'first_response',            180.0, 1,     2, '2025-03-03 10:04:00'),
  ( 6, 'conversation_resolved',     600.0, 1,     2, '2025-03-03 10:10:00'),
  ( 7, 'first_response',            120.0, 1,     3, '2025-03-03 11:02:00'),
  ( 8, 'conversation_resolved',    1200.0, 2,     3, '2025-03-03 11:20:00'),
  ( 9, 'conversation_opened',         0.0, NULL,  4, '2025-03-03 12:00:00'),
  (10, 'first_response',             60.0, 2,     4, '2025-03-03 12:01:00'),
  (11, 'conversation_resolved',     300.0, 2,     4, '2025-03-03 12:05:00'),
  (12, 'conversation_opened',      3300.0, 2,     4, '2025-03-03 13:00:00'),
  (13, 'reply_time',               1800.0, 2,     4, '2025-03-03 13:30:00'),
  (14, 'conversation_resolved',    7200.0, 2,     4, '2025-03-03 14:00:00'),
  (15, 'conversation_resolved',     600.0, 1,     5, '2025-03-03 15:10:00'),
  (16, 'conversation_resolved',    1200.0, 1,     6, '2025-03-03 16:20:00'),
  (17, 'conversation_resolved',     300.0, 2,     7, '2025-03-03 17:05:00'),
  (18, 'conversation_resolved',    1200.0, 1,    10, '2025-03-03 19:20:00'),
  (19, 'conversation_resolved',    1800.0, NULL, 11, '2025-03-03 20:30:00'),
  (20, 'conversation_bot_handoff',   20.0, NULL, 12, '2025-03-03 21:00:20'),
  (21, 'conversation_bot_handoff',   30.0, NULL, 13, '2025-03-03 22:00:30'),
  (22, 'conversation_resolved',    1200.0, 1,    13, '2025-03-03 22:20:00'),
  (23, 'conversation_bot_handoff',   60.0, NULL, 15, '2025-03-03 23:31:00'),
  (24, 'conversation_resolved',     600.0, 1,    15, '2025-03-03 23:40:00'),
  (25, 'conversation_bot_resolved', 600.0, 1,    15, '2025-03-03 23:40:00'),
  (26, 'first_response',            130.0, 1,     8, '2025-03-03 08:02:10')
) AS v(id, name, value, uid, conv, at)
JOIN conversations c ON c.id = v.conv;

INSERT INTO csat_survey_responses (id, account_id, conversation_id, message_id, rating, feedback_message, contact_id, assigned_agent_id, created_at, updated_at) VALUES
  (1, 1, 5, 26, 5, 'quick', 105, 1, '2025-03-03 15:12:00', '2025-03-03 15:12:00'),
  (2, 1, 6, 30, 2, 'slow',  106, 1, '2025-03-03 16:30:00', '2025-03-03 16:30:00');
