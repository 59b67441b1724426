// The workspace's names for the API's payloads, from the generated schema.d.ts.
//
// The OpenAPI document marks few answer fields as required (marshmallow's output fields are
// not `required=True`), yet the desk dumps every field a schema names on every answer. `Answer<T>`
// says so once, here, instead of a `!` at every use.
import type { components } from "./schema";

type Schemas = components["schemas"];

export type Answer<T> = T extends (infer U)[]
  ? Answer<U>[]
  : T extends Record<string, unknown>
    ? { [K in keyof T]-?: Answer<T[K]> }
    : T;

export type Problem = Schemas["Problem"];
export type User = Answer<Schemas["User"]>;
export type Ticket = Answer<Schemas["Ticket"]>;
export type Message = Answer<Schemas["Message"]>;
export type Customer = Answer<Schemas["Customer"]>;
export type TimelineEntry = Answer<Schemas["TimelineEntry"]>;
export type InboxCounts = Answer<Schemas["InboxCounts"]>;
export type Channel = Ticket["channel"];
export type Status = Ticket["status"];
export type Priority = Ticket["priority"];
export type InboxTicket = Answer<Schemas["InboxTicket"]>;
export type LastMessage = NonNullable<InboxTicket["last_message"]>;
export type TicketViewKey = InboxCounts["views"][number]["key"];
export type SavedView = Answer<Schemas["SavedView"]>;
export type SavedViewFilters = SavedView["filters"];
export type BulkChanges = Schemas["BulkChanges"];
export type ContactSummary = Answer<Schemas["ContactSummary"]>;
export type Repeat = Answer<Schemas["Repeat"]>;
export type Identity = Answer<Schemas["Identity"]>;
export type MergeRecord = Answer<Schemas["MergeRecord"]>;
export type MergePreview = Answer<Schemas["MergePreview"]>;
export type ContextCard = Answer<Schemas["ContextCard"]>;
export type PossibleMatch = Answer<Schemas["PossibleMatch"]>;
export type Attachment = Answer<Schemas["Attachment"]>;
export type Call = Answer<Schemas["Call"]>;
export type Delivery = Answer<Schemas["Delivery"]>;
export type EmailDetails = Answer<Schemas["EmailDetails"]>;
export type CannedResponse = Answer<Schemas["CannedResponse"]>;
export type Notification = Answer<Schemas["Notification"]>;
export type Me = Answer<Schemas["Me"]>;
export type PreferencesChanges = Schemas["PreferencesUpdate"];
export type NewToken = Answer<Schemas["NewToken"]>;
export type ApiToken = Answer<Schemas["Token"]>;
export type EmailTemplate = Answer<Schemas["Template"]>;
export type QuarantinedEmail = Answer<Schemas["Quarantined"]>;
export type Integration = Answer<Schemas["Integration"]>;
export type Article = Answer<Schemas["Article"]>;
export type ArticleListItem = Answer<Schemas["ArticleListItem"]>;
export type ArticleLink = Answer<Schemas["ArticleLink"]>;
export type ArticleChanges = Schemas["ArticleUpdate"];
export type ArticleVersion = Answer<Schemas["Version"]>;
export type ArticleVersionDetail = Answer<Schemas["VersionDetail"]>;
export type ArticleDiff = Answer<Schemas["VersionDiff"]>;
export type KbCategory = Answer<Schemas["Category"]>;
export type KbSection = Answer<Schemas["Section"]>;
export type KbImage = Answer<Schemas["Image"]>;
export type ArticleFlag = Answer<Schemas["Flag"]>;
export type ReviewItem = Answer<Schemas["ReviewItem"]>;
export type ReviewFigures = Answer<Schemas["ReviewFigures"]>;
