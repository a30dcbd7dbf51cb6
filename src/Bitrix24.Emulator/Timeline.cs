using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Newtonsoft.Json.Linq;

namespace Bitrix24.Emulator
{
    /// <summary>
    /// Timeline comments and activities of the portal's records, as the pages under crm/timeline describe them.
    /// Each record is kept as its list answer shows it: numbers and flags as strings ("ID": "999").
    /// </summary>
    internal sealed class Timeline
    {
        private readonly Func<int, int, bool> _ownerExists;
        private readonly Func<DateTimeOffset> _now;
        private readonly int _userId;
        private readonly List<JObject> _comments = new List<JObject>();
        private readonly List<JObject> _activities = new List<JObject>();
        private int _nextComment = 1, _nextActivity = 1;

        public Timeline(Func<int, int, bool> ownerExists, Func<DateTimeOffset> now, int userId)
        {
            _ownerExists = ownerExists;
            _now = now;
            _userId = userId;
        }

        public IReadOnlyList<JObject> Comments => _comments;
        public IReadOnlyList<JObject> ActivityRecords => _activities;

        public bool Serves(string method) =>
            method.StartsWith("crm.timeline.comment.", StringComparison.OrdinalIgnoreCase) || method.StartsWith("crm.activity.", StringComparison.OrdinalIgnoreCase);

        public (JToken result, int? total, int? next) Dispatch(string method, JObject p)
        {
            // Method names are taken in any case, as the portal takes them.
            switch (method.ToLowerInvariant())
            {
                case "crm.timeline.comment.add": return (AddComment(p), null, null);
                case "crm.timeline.comment.get": return (Comment(RequireId(p)).DeepClone(), null, null);
                case "crm.timeline.comment.list": return ListComments(p);
                case "crm.timeline.comment.update": return (UpdateComment(p), null, null);
                case "crm.timeline.comment.delete": return (DeleteComment(p), null, null);
                case "crm.activity.list": return ListActivities(p);
                case "crm.activity.todo.add": return (AddTodo(p), null, null);
                case "crm.activity.todo.updatedeadline": return (UpdateTodo(p, "value", "DEADLINE"), null, null);
                case "crm.activity.todo.updateresponsibleuser": return (UpdateTodo(p, "responsibleId", "RESPONSIBLE_ID"), null, null);
                case "crm.activity.update": return (UpdateActivity(p), null, null);
                default: throw new PortalError(404, "ERROR_METHOD_NOT_FOUND", "Method not found!");
            }
        }

        // ---- comments (crm/timeline/comments) -------------------------------------------------------

        /// <summary>crm-timeline-comment-add.md: fields (lower case only since crm 23.100.0) with ENTITY_ID, ENTITY_TYPE
        /// and COMMENT required; an empty comment is INVALID_ARG_VALUE; the answer is the new id. Which of NOT_FOUND and
        /// OWNER_NOT_FOUND a missing record gives, the page does not say: the page's own error example is NOT_FOUND.</summary>
        private JToken AddComment(JObject p)
        {
            if (!(p["fields"] is JObject fields)) throw new PortalError(400, "100", "Required fields are not provided");
            var typeName = ((string)fields["ENTITY_TYPE"] ?? "").Trim().ToLowerInvariant();
            var ownerId = ToInt(fields["ENTITY_ID"]);
            if (ownerId == null || typeName.Length == 0) throw new PortalError(400, "100", "Required fields are not provided");
            if (string.IsNullOrWhiteSpace((string)fields["COMMENT"])) throw new PortalError(400, "INVALID_ARG_VALUE", "Empty comment");
            if (!(TypeId(typeName) is int typeId) || !_ownerExists(typeId, ownerId.Value)) throw new PortalError(400, "NOT_FOUND", "Not found.");
            var id = _nextComment++;
            _comments.Add(new JObject
            {
                ["ID"] = Text(id), ["ENTITY_ID"] = Text(ownerId.Value), ["ENTITY_TYPE"] = typeName,
                ["CREATED"] = RecordStore.Stamp(_now()), ["COMMENT"] = (string)fields["COMMENT"], ["AUTHOR_ID"] = Text(_userId),
                ["FILES"] = new JObject(),
            });
            return id;
        }

        /// <summary>crm-timeline-comment-list.md: filter ENTITY_ID and ENTITY_TYPE both required, order by ID, CREATED or
        /// AUTHOR_ID, 50 a page from start, and a total. What it answers without the filter the page does not say: an error here.</summary>
        private (JToken, int?, int?) ListComments(JObject p)
        {
            var filter = p["filter"] as JObject;
            var typeName = ((string)filter?["ENTITY_TYPE"] ?? "").Trim().ToLowerInvariant();
            var ownerId = ToInt(filter?["ENTITY_ID"]);
            if (ownerId == null || typeName.Length == 0) throw new PortalError(400, "100", "Required fields are not provided");
            IEnumerable<JObject> found = _comments.Where(c => (string)c["ENTITY_TYPE"] == typeName && (string)c["ENTITY_ID"] == Text(ownerId.Value));
            var descending = string.Equals((string)(p["order"] as JObject)?["ID"], "DESC", StringComparison.OrdinalIgnoreCase);
            found = descending ? found.OrderByDescending(c => ToInt(c["ID"])) : found.OrderBy(c => ToInt(c["ID"]));
            return Page(found.ToList(), p);
        }

        /// <summary>crm-timeline-comment-update.md: id and fields.COMMENT; the answer is the id. An empty comment is INVALID_ARG_VALUE.</summary>
        private JToken UpdateComment(JObject p)
        {
            var comment = Comment(RequireId(p));
            CheckOwner(comment, p);
            if (!(p["fields"] is JObject fields)) throw new PortalError(400, "100", "Required fields are not provided");
            if (fields["COMMENT"] != null)
            {
                if (string.IsNullOrWhiteSpace((string)fields["COMMENT"])) throw new PortalError(400, "INVALID_ARG_VALUE", "Empty comment");
                comment["COMMENT"] = (string)fields["COMMENT"];
            }
            return ToInt(comment["ID"]);
        }

        /// <summary>crm-timeline-comment-delete.md: id; the answer is always null.</summary>
        private JToken DeleteComment(JObject p)
        {
            var comment = Comment(RequireId(p));
            CheckOwner(comment, p);
            _comments.Remove(comment);
            return JValue.CreateNull();
        }

        private JObject Comment(int id) =>
            _comments.FirstOrDefault(c => (string)c["ID"] == Text(id)) ?? throw new PortalError(400, "NOT_FOUND", "Not found.");

        /// <summary>ownerTypeId and ownerId, when given, must name the record the comment is on (OWNER_NOT_FOUND otherwise).</summary>
        private static void CheckOwner(JObject comment, JObject p)
        {
            if (p["ownerTypeId"] == null && p["ownerId"] == null) return;
            if (TypeId((string)comment["ENTITY_TYPE"]) != ToInt(p["ownerTypeId"]) || (string)comment["ENTITY_ID"] != Text(ToInt(p["ownerId"]) ?? 0))
                throw new PortalError(400, "OWNER_NOT_FOUND", "Owner of the item not found");
        }

        // ---- activities (crm/timeline/activities) ---------------------------------------------------

        /// <summary>An activity of the demo portal or a test: a call, meeting, e-mail, or a to-do (PROVIDER_ID CRM_TODO).</summary>
        public int AddActivity(int ownerTypeId, int ownerId, string kind, string subject, DateTimeOffset deadline, int responsibleId, bool completed)
        {
            var (typeId, provider, providerType) = kind switch
            {
                "call" => ("2", "VOXIMPLANT_CALL", "CALL"),
                "meeting" => ("1", "CRM_MEETING", "MEETING"),
                "email" => ("4", "CRM_EMAIL", "EMAIL"),
                _ => ("6", "CRM_TODO", "TODO"),
            };
            var id = _nextActivity++;
            var now = RecordStore.Stamp(_now());
            _activities.Add(new JObject
            {
                ["ID"] = Text(id), ["OWNER_ID"] = Text(ownerId), ["OWNER_TYPE_ID"] = Text(ownerTypeId), ["TYPE_ID"] = typeId,
                ["PROVIDER_ID"] = provider, ["PROVIDER_TYPE_ID"] = providerType, ["SUBJECT"] = subject,
                ["CREATED"] = now, ["LAST_UPDATED"] = now, ["START_TIME"] = RecordStore.Stamp(deadline), ["END_TIME"] = RecordStore.Stamp(deadline),
                ["DEADLINE"] = RecordStore.Stamp(deadline), ["COMPLETED"] = completed ? "Y" : "N", ["STATUS"] = completed ? "2" : "1",
                ["RESPONSIBLE_ID"] = Text(responsibleId), ["PRIORITY"] = "2", ["DESCRIPTION"] = "", ["DESCRIPTION_TYPE"] = "1",
                ["DIRECTION"] = kind == "call" || kind == "email" ? "2" : "0", ["AUTHOR_ID"] = Text(_userId), ["EDITOR_ID"] = Text(_userId),
                // The rest of crm-activity-list.md's example item, as it shows them for an activity that has none of them.
                ["PROVIDER_GROUP_ID"] = null, ["ASSOCIATED_ENTITY_ID"] = "0", ["NOTIFY_TYPE"] = "0", ["NOTIFY_VALUE"] = "0", ["LOCATION"] = "",
                ["SETTINGS"] = new JArray(), ["ORIGINATOR_ID"] = null, ["ORIGIN_ID"] = null, ["PROVIDER_PARAMS"] = new JArray(), ["PROVIDER_DATA"] = null,
                ["RESULT_MARK"] = "0", ["RESULT_VALUE"] = null, ["RESULT_SUM"] = null, ["RESULT_CURRENCY_ID"] = null, ["RESULT_STATUS"] = "0",
                ["RESULT_STREAM"] = "0", ["RESULT_SOURCE_ID"] = null, ["AUTOCOMPLETE_RULE"] = "0",
            });
            return id;
        }

        /// <summary>crm-activity-list.md: filter on any field with the prefixes it lists (the emulator takes =, !, !=, @, !@,
        /// &gt;, &gt;=, &lt;, &lt;= and %; BINDINGS it does not), sorted by START_TIME unless order says, 50 a page, next and total.</summary>
        private (JToken, int?, int?) ListActivities(JObject p)
        {
            var filter = p["filter"] as JObject ?? new JObject();
            var found = _activities.Where(a => filter.Properties().All(c => Matches(a, c))).ToList();
            var order = (p["order"] as JObject)?.Properties().FirstOrDefault();
            var key = order?.Name.ToUpperInvariant() ?? "START_TIME";
            Func<JObject, IComparable> by = a => key == "ID" || key.EndsWith("_ID", StringComparison.Ordinal) ? (IComparable)(ToInt(a[key]) ?? 0) : (string)a[key] ?? "";
            found = string.Equals((string)order?.Value, "DESC", StringComparison.OrdinalIgnoreCase)
                ? found.OrderByDescending(by).ToList() : found.OrderBy(by).ToList();
            return Page(found, p);
        }

        private static bool Matches(JObject activity, JProperty condition)
        {
            var name = condition.Name;
            var op = new[] { "!@", "!=", ">=", "<=", "@", "!", ">", "<", "=", "%" }.FirstOrDefault(o => name.StartsWith(o, StringComparison.Ordinal)) ?? "=";
            var field = name.Substring(name.StartsWith(op, StringComparison.Ordinal) ? op.Length : 0).ToUpperInvariant();
            var actual = (string)activity[field] ?? "";
            if (op == "@" || op == "!@")
            {
                var any = (condition.Value as JArray ?? new JArray(condition.Value)).Any(v => Same(actual, v.ToString()));
                return op == "@" ? any : !any;
            }
            var wanted = condition.Value.ToString();
            switch (op)
            {
                case "!": case "!=": return !Same(actual, wanted);
                case "%": return actual.IndexOf(wanted, StringComparison.OrdinalIgnoreCase) >= 0;
                case ">": return Compare(actual, wanted) > 0;
                case ">=": return Compare(actual, wanted) >= 0;
                case "<": return Compare(actual, wanted) < 0;
                case "<=": return Compare(actual, wanted) <= 0;
                default: return Same(actual, wanted);
            }
        }

        private static bool Same(string actual, string wanted) =>
            string.Equals(actual, wanted, StringComparison.OrdinalIgnoreCase) || ToInt(actual) is int a && ToInt(wanted) == a;

        /// <summary>Numbers as numbers, dates as moments, the rest as text.</summary>
        private static int Compare(string actual, string wanted)
        {
            if (ToInt(actual) is int a && ToInt(wanted) is int b) return a.CompareTo(b);
            if (DateTimeOffset.TryParse(actual, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var x) &&
                DateTimeOffset.TryParse(wanted, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var y)) return x.CompareTo(y);
            return string.CompareOrdinal(actual, wanted);
        }

        /// <summary>crm-activity-todo-add.md: ownerTypeId, ownerId and deadline required (code 100), the record must exist
        /// (NOT_FOUND), a deadline that is not a date is WRONG_DATETIME_FORMAT; the answer is {id}. Who is responsible when
        /// responsibleId is left out the page does not say: the calling user here.</summary>
        private JToken AddTodo(JObject p)
        {
            var ownerTypeId = ToInt(p["ownerTypeId"]);
            var ownerId = ToInt(p["ownerId"]);
            if (ownerTypeId == null || ownerId == null || p["deadline"] == null) throw new PortalError(400, "100", "Required fields are missing");
            if (!_ownerExists(ownerTypeId.Value, ownerId.Value)) throw new PortalError(400, "NOT_FOUND", "Not found.");
            var deadline = Date(p["deadline"]);
            var id = AddActivity(ownerTypeId.Value, ownerId.Value, "todo", (string)p["title"] ?? "", deadline, ToInt(p["responsibleId"]) ?? _userId, false);
            if (p["description"] != null) _activities.Last()["DESCRIPTION"] = (string)p["description"];
            return new JObject { ["id"] = id };
        }

        /// <summary>crm.activity.todo.updateDeadline (value) and .updateResponsibleUser (responsibleId): id, ownerTypeId and
        /// ownerId required; the answer is {id}. A universal activity only: for another kind the pages do not say; NOT_FOUND here.</summary>
        private JToken UpdateTodo(JObject p, string parameter, string field)
        {
            var id = ToInt(p["id"]);
            if (id == null || ToInt(p["ownerTypeId"]) == null || ToInt(p["ownerId"]) == null || p[parameter] == null)
                throw new PortalError(400, "100", "Required fields are missing");
            var todo = _activities.FirstOrDefault(a => (string)a["ID"] == Text(id.Value) && (string)a["PROVIDER_ID"] == "CRM_TODO"
                                                       && (string)a["OWNER_TYPE_ID"] == Text(ToInt(p["ownerTypeId"]).Value) && (string)a["OWNER_ID"] == Text(ToInt(p["ownerId"]).Value))
                       ?? throw new PortalError(400, "NOT_FOUND", "Not found.");
            if (field == "DEADLINE")
            {
                var deadline = RecordStore.Stamp(Date(p[parameter]));
                todo["DEADLINE"] = deadline;
                todo["START_TIME"] = deadline;
                todo["END_TIME"] = deadline;
            }
            else todo[field] = Text(ToInt(p[parameter]) ?? throw new PortalError(400, "100", "Required fields are missing"));
            todo["LAST_UPDATED"] = RecordStore.Stamp(_now());
            return new JObject { ["id"] = id.Value };
        }

        /// <summary>crm-activity-update.md (deprecated for new work): id and fields, whose table marks OWNER_ID, OWNER_TYPE_ID
        /// and TYPE_ID required; a missing activity is "Activity is not found", a missing TYPE_ID "The field TYPE_ID is not
        /// defined or invalid". The table marks COMMUNICATIONS required too, copied from the add page as it reads: whether an
        /// update without it is refused the page does not say, and the emulator does not refuse it. The answer is true.</summary>
        private JToken UpdateActivity(JObject p)
        {
            var id = ToInt(p["id"]);
            var activity = id == null ? null : _activities.FirstOrDefault(a => (string)a["ID"] == Text(id.Value));
            if (activity == null) throw PortalError.Method("Activity is not found");
            if (!(p["fields"] is JObject fields)) throw PortalError.Method("The field TYPE_ID is not defined or invalid");
            if (ToInt(fields["TYPE_ID"]) == null) throw PortalError.Method("The field TYPE_ID is not defined or invalid");
            if (fields["RESPONSIBLE_ID"] != null && !(ToInt(fields["RESPONSIBLE_ID"]) > 0)) throw PortalError.Method("The field RESPONSIBLE_ID is not defined or invalid");
            foreach (var name in new[] { "SUBJECT", "DESCRIPTION", "RESPONSIBLE_ID", "COMPLETED", "PRIORITY" })
                if (fields[name] != null) activity[name] = fields[name].ToString();
            if (fields["COMPLETED"] != null) activity["STATUS"] = (string)fields["COMPLETED"] == "Y" ? "2" : "1";
            activity["LAST_UPDATED"] = RecordStore.Stamp(_now());
            return true;
        }

        // ---- helpers ------------------------------------------------------------------------------

        private static (JToken, int?, int?) Page(List<JObject> found, JObject p)
        {
            var start = ToInt(p["start"]) ?? 0;
            start -= start % 50;
            var page = found.Skip(start).Take(50).Select(c => c.DeepClone());
            var next = start + 50 < found.Count ? start + 50 : (int?)null;
            return (new JArray(page), found.Count, next);
        }

        private static DateTimeOffset Date(JToken value)
        {
            if (DateTimeOffset.TryParse(value?.ToString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeLocal, out var moment)) return moment;
            throw new PortalError(400, "WRONG_DATETIME_FORMAT", "Incorrect date format");
        }

        private static int? TypeId(string typeName)
        {
            switch ((typeName ?? "").ToLowerInvariant())
            {
                case "lead": return 1;
                case "deal": return 2;
                case "contact": return 3;
                case "company": return 4;
            }
            return typeName != null && typeName.StartsWith("dynamic_", StringComparison.OrdinalIgnoreCase) ? ToInt(typeName.Substring(8)) : null;
        }

        private static int RequireId(JObject p) => ToInt(p["id"]) is int id && id > 0 ? id : throw new PortalError(400, "100", "Required fields are not provided");
        private static int? ToInt(JToken value) => value == null || value.Type == JTokenType.Null ? null : RecordStore.ToInt(value.ToString());
        private static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);
    }
}
