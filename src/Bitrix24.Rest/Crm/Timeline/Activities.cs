using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Bitrix24.Rest.Batch;
using Bitrix24.Rest.Transport;
using Newtonsoft.Json.Linq;

namespace Bitrix24.Rest.Crm.Timeline
{
    /// <summary>
    /// Activities in CRM timelines (crm/timeline/activities). Read with crm.activity.list (any field filter, 50 per
    /// page, total). To-dos are added with crm.activity.todo.add and, being PROVIDER_ID CRM_TODO, moved with
    /// crm.activity.todo.updateDeadline and .updateResponsibleUser (todo/index.md). crm.activity.update, deprecated
    /// for new work, is still the documented way to set COMPLETED and another kind's RESPONSIBLE_ID; its page says
    /// DEADLINE is not set directly (it comes from START_TIME or END_TIME), so only a to-do's deadline is moved.
    /// </summary>
    public sealed class Activities
    {
        public const string ListMethod = "crm.activity.list";
        public const string TodoAddMethod = "crm.activity.todo.add";
        public const string TodoDeadlineMethod = "crm.activity.todo.updateDeadline";
        public const string TodoResponsibleMethod = "crm.activity.todo.updateResponsibleUser";
        public const string UpdateMethod = "crm.activity.update";
        /// <summary>The provider of universal activities (to-dos): todo/index.md filters by it.</summary>
        public const string TodoProvider = "CRM_TODO";

        private readonly Bitrix24Client _client;

        public Activities(Bitrix24Client client) => _client = client;

        /// <summary>Every activity matching <paramref name="filter"/> (crm.activity.list's filter), by id.</summary>
        public Task<IList<JObject>> ListAsync(JObject filter, CancellationToken cancellation, Action<string> log = null) =>
            _client.ListAllAsync(ListMethod, new JObject { ["filter"] = filter ?? new JObject(), ["order"] = new JObject { ["ID"] = "ASC" } }, cancellation, log);

        /// <summary>The activities with these ids (one list request per 50; missing ones are simply not there).</summary>
        public async Task<IList<JObject>> GetManyAsync(IReadOnlyCollection<int> ids, CancellationToken cancellation, Action<string> log = null)
        {
            var found = new List<JObject>();
            foreach (var chunk in ids.Distinct().Select((id, i) => (id, i)).GroupBy(x => x.i / BulkRunner.ChunkSize, x => x.id))
                found.AddRange(await ListAsync(new JObject { ["@ID"] = new JArray(chunk.ToArray()) }, cancellation, log).ConfigureAwait(false));
            return found;
        }

        /// <summary>Whose activity it is: OWNER_TYPE_ID and OWNER_ID as the list answers them.</summary>
        public static CrmOwner OwnerOf(JObject activity) =>
            new CrmOwner(Number(activity["OWNER_TYPE_ID"]), Number(activity["OWNER_ID"]));

        public static bool IsTodo(JObject activity) => string.Equals((string)activity["PROVIDER_ID"], TodoProvider, StringComparison.Ordinal);

        /// <summary>A deadline as the todo methods take it: the local time with its offset (ISO 8601).</summary>
        public static string DateText(DateTimeOffset value) => value.ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);

        /// <summary>
        /// A new to-do on <paramref name="owner"/>. An add must not run twice: after an unknown outcome the owner's
        /// to-dos are read, and an open one with this title and deadline is taken as the first attempt's.
        /// </summary>
        public BulkCommand TodoAddCommand(CrmOwner owner, DateTimeOffset deadline, string title, string description, int? responsibleId)
        {
            var parameters = new JObject { ["ownerTypeId"] = owner.EntityTypeId, ["ownerId"] = owner.Id, ["deadline"] = DateText(deadline) };
            if (title != null) parameters["title"] = title;
            if (description != null) parameters["description"] = description;
            if (responsibleId != null) parameters["responsibleId"] = responsibleId.Value;
            return new BulkCommand(TodoAddMethod, parameters, owner.Id, owner)
            {
                Target = owner.ToString(),
                Idempotent = false,
                FindExisting = async (cancel, log) =>
                {
                    var todos = await ListAsync(new JObject
                    {
                        ["OWNER_TYPE_ID"] = owner.EntityTypeId, ["OWNER_ID"] = owner.Id, ["PROVIDER_ID"] = TodoProvider, ["COMPLETED"] = "N",
                    }, cancel, log).ConfigureAwait(false);
                    var same = todos.LastOrDefault(a => (string)a["SUBJECT"] == (title ?? "") &&
                                                        DateTimeOffset.TryParse((string)a["DEADLINE"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var at) &&
                                                        at == deadline);
                    return same == null ? null : new JObject { ["id"] = Number(same["ID"]) };
                },
            };
        }

        /// <summary>Gives <paramref name="activity"/> to another user: a to-do with its own method, any other kind with crm.activity.update.</summary>
        public static BulkCommand ResponsibleCommand(JObject activity, int responsibleId)
        {
            var id = Number(activity["ID"]);
            var owner = OwnerOf(activity);
            return IsTodo(activity)
                ? new BulkCommand(TodoResponsibleMethod, OwnerParameters(id, owner, "responsibleId", responsibleId), id, activity) { Target = id }
                : new BulkCommand(UpdateMethod, UpdateParameters(activity, "RESPONSIBLE_ID", responsibleId), id, activity) { Target = id };
        }

        /// <summary>Moves a to-do's deadline (crm.activity.todo.updateDeadline).</summary>
        public static BulkCommand DeadlineCommand(JObject activity, DateTimeOffset deadline)
        {
            var id = Number(activity["ID"]);
            if (!IsTodo(activity))
                throw new ArgumentException(
                    $"Activity {id} is a {(string)activity["PROVIDER_ID"] ?? "system"} activity, not a to-do: its deadline comes from its start or end time (crm-activity-update.md) and is not moved.");
            return new BulkCommand(TodoDeadlineMethod, OwnerParameters(id, OwnerOf(activity), "value", DateText(deadline)), id, activity) { Target = id };
        }

        /// <summary>Completes an activity (crm.activity.update, COMPLETED = Y).</summary>
        public static BulkCommand CompleteCommand(JObject activity)
        {
            var id = Number(activity["ID"]);
            return new BulkCommand(UpdateMethod, UpdateParameters(activity, "COMPLETED", "Y"), id, activity) { Target = id };
        }

        private static JObject OwnerParameters(int id, CrmOwner owner, string name, JToken value) =>
            new JObject { ["id"] = id, ["ownerTypeId"] = owner.EntityTypeId, ["ownerId"] = owner.Id, [name] = value };

        /// <summary>crm-activity-update.md marks OWNER_ID, OWNER_TYPE_ID and TYPE_ID required in fields: they go as read.</summary>
        private static JObject UpdateParameters(JObject activity, string field, JToken value) =>
            new JObject
            {
                ["id"] = Number(activity["ID"]),
                ["fields"] = new JObject
                {
                    ["OWNER_ID"] = Number(activity["OWNER_ID"]),
                    ["OWNER_TYPE_ID"] = Number(activity["OWNER_TYPE_ID"]),
                    ["TYPE_ID"] = Number(activity["TYPE_ID"]),
                    [field] = value,
                },
            };

        /// <summary>The list answers numbers as strings ("ID": "20").</summary>
        public static int Number(JToken value) =>
            value != null && int.TryParse(value.ToString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var number) ? number : 0;
    }
}
