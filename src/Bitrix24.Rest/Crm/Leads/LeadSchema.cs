using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Bitrix24.Rest.Batch;
using Bitrix24.Rest.Transport;
using Newtonsoft.Json.Linq;

namespace Bitrix24.Rest.Crm.Leads
{
    /// <summary>One field as crm.lead.fields describes it.</summary>
    public sealed class LeadFieldInfo
    {
        public string Name { get; internal set; }
        public string Title { get; internal set; }
        /// <summary>The API's type name: string, integer, double, char, date, datetime, crm_status,
        /// crm_currency, user, crm_multifield, enumeration, boolean, money, file …</summary>
        public string Type { get; internal set; }
        public bool IsRequired { get; internal set; }
        public bool IsReadOnly { get; internal set; }
        public bool IsImmutable { get; internal set; }
        public bool IsMultiple { get; internal set; }
        public bool IsCustom => Name.StartsWith("UF_", StringComparison.OrdinalIgnoreCase);
        /// <summary>Enumeration items: id → label.</summary>
        public IReadOnlyDictionary<string, string> Items { get; internal set; } = new Dictionary<string, string>();
        public override string ToString() => Name;
    }

    /// <summary>One entry of a crm.status.list directory (stages, sources, salutations) or a currency.</summary>
    public sealed class DirectoryEntry
    {
        public string EntityId { get; internal set; }
        public string StatusId { get; internal set; }
        public string Name { get; internal set; }
        public int Sort { get; internal set; }
        public override string ToString() => $"{StatusId} ({Name})";
    }

    /// <summary>
    /// The portal's own description of lead fields (crm.lead.fields) and of the values its directory
    /// fields accept (crm.status.list, crm.currency.list), read in one batch request and cached per
    /// connection. Validation uses it so that a custom field's type, an enumeration's items and the
    /// portal's own stages are checked before anything is sent.
    /// </summary>
    public sealed class LeadSchema
    {
        private const string CacheKey = "crm.lead.schema";
        private readonly Dictionary<string, LeadFieldInfo> _fields;
        private readonly List<DirectoryEntry> _directory;

        private LeadSchema(Dictionary<string, LeadFieldInfo> fields, List<DirectoryEntry> directory)
        {
            _fields = fields;
            _directory = directory;
            LoadedAt = DateTimeOffset.Now;
        }

        public DateTimeOffset LoadedAt { get; }
        public IEnumerable<LeadFieldInfo> Fields => _fields.Values;

        public LeadFieldInfo Find(string name) => name != null && _fields.TryGetValue(name, out var field) ? field : null;

        /// <summary>Entries of one directory: STATUS, SOURCE, HONORIFIC, or CURRENCY.</summary>
        public IEnumerable<DirectoryEntry> Directory(string entityId) =>
            _directory.Where(d => string.Equals(d.EntityId, entityId, StringComparison.OrdinalIgnoreCase)).OrderBy(d => d.Sort);

        private readonly System.Collections.Concurrent.ConcurrentDictionary<string, IList<string>> _ids =
            new System.Collections.Concurrent.ConcurrentDictionary<string, IList<string>>(StringComparer.OrdinalIgnoreCase);

        /// <summary>The ids of one directory in order (cached: checked for every lead of a bulk run).</summary>
        public IList<string> DirectoryIds(string entityId) =>
            _ids.TryGetValue(entityId, out var ids) ? ids : _ids.GetOrAdd(entityId, Directory(entityId).Select(d => d.StatusId).ToList());

        private readonly System.Collections.Concurrent.ConcurrentDictionary<string, Dictionary<string, string>> _idLookup =
            new System.Collections.Concurrent.ConcurrentDictionary<string, Dictionary<string, string>>(StringComparer.OrdinalIgnoreCase);

        /// <summary>The portal's spelling of <paramref name="value"/> among a directory's ids (any case
        /// given), or null when the directory has no such id.</summary>
        public string DirectoryId(string entityId, string value)
        {
            if (!_idLookup.TryGetValue(entityId, out var lookup))
            {
                lookup = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
                foreach (var entry in DirectoryIds(entityId))
                    if (entry != null && !lookup.ContainsKey(entry)) lookup[entry] = entry;
                lookup = _idLookup.GetOrAdd(entityId, lookup);
            }
            return value != null && lookup.TryGetValue(value, out var canonical) ? canonical : null;
        }

        /// <summary>The directory a standard field draws its values from, or null.</summary>
        public static string DirectoryOf(string apiName)
        {
            // Asked for every field of every lead: compare, do not build an upper-case copy.
            if (apiName == null) return null;
            if (string.Equals(apiName, "STATUS_ID", StringComparison.OrdinalIgnoreCase)) return "STATUS";
            if (string.Equals(apiName, "SOURCE_ID", StringComparison.OrdinalIgnoreCase)) return "SOURCE";
            if (string.Equals(apiName, "HONORIFIC", StringComparison.OrdinalIgnoreCase)) return "HONORIFIC";
            if (string.Equals(apiName, "CURRENCY_ID", StringComparison.OrdinalIgnoreCase)) return "CURRENCY";
            return null;
        }

        /// <summary>The cached schema of the connection, read on first use (one batch request).</summary>
        public static async Task<LeadSchema> GetAsync(Bitrix24Client client, CancellationToken cancellation, Action<string> log, bool refresh = false)
        {
            var connection = client.Connection;
            if (!refresh && connection.Cache.TryGetValue(CacheKey, out var cached)) return (LeadSchema)cached;
            var cmd = new JObject
            {
                ["fields"] = "crm.lead.fields",
                ["statuses"] = "crm.status.list",
                ["currencies"] = "crm.currency.list",
            };
            var response = await client.CallAsync("batch", new JObject { ["halt"] = 0, ["cmd"] = cmd }, cancellation, log).ConfigureAwait(false);
            var answers = BatchAnswer.Read(response.Result, new[] { "fields", "statuses", "currencies" });
            if (answers["fields"].Failed || !(answers["fields"].Result is JObject fieldsJson))
                throw new Bitrix24Exception("crm.lead.fields", answers["fields"].ErrorCode, answers["fields"].ErrorDescription ?? "no field descriptions", 0);
            var schema = new LeadSchema(ReadFields(fieldsJson), ReadDirectory(answers["statuses"].Result, answers["currencies"].Result));
            connection.Cache[CacheKey] = schema;
            log?.Invoke($"Read the portal's lead fields ({schema._fields.Count}) and directories ({schema._directory.Count} entries).");
            return schema;
        }

        /// <summary>The cached schema, or null when it was not read yet (never calls the portal).</summary>
        public static LeadSchema Cached(Bitrix24Client client) =>
            client.Connection.Cache.TryGetValue(CacheKey, out var cached) ? (LeadSchema)cached : null;

        private static Dictionary<string, LeadFieldInfo> ReadFields(JObject json)
        {
            var fields = new Dictionary<string, LeadFieldInfo>(StringComparer.OrdinalIgnoreCase);
            foreach (var property in json.Properties())
            {
                if (!(property.Value is JObject d)) continue;
                var items = new Dictionary<string, string>();
                if (d["items"] is JArray list)
                    foreach (var item in list.OfType<JObject>()) items[(string)item["ID"] ?? ""] = (string)item["VALUE"] ?? "";
                fields[property.Name] = new LeadFieldInfo
                {
                    Name = property.Name,
                    Type = (string)d["type"] ?? "string",
                    Title = (string)d["listLabel"] ?? (string)d["formLabel"] ?? (string)d["title"] ?? property.Name,
                    IsRequired = (bool?)d["isRequired"] ?? false,
                    IsReadOnly = (bool?)d["isReadOnly"] ?? false,
                    IsImmutable = (bool?)d["isImmutable"] ?? false,
                    IsMultiple = (bool?)d["isMultiple"] ?? false,
                    Items = items,
                };
            }
            return fields;
        }

        private static List<DirectoryEntry> ReadDirectory(JToken statuses, JToken currencies)
        {
            var entries = new List<DirectoryEntry>();
            foreach (var status in (statuses as JArray ?? new JArray()).OfType<JObject>())
                entries.Add(new DirectoryEntry
                {
                    EntityId = (string)status["ENTITY_ID"],
                    StatusId = (string)status["STATUS_ID"],
                    Name = (string)status["NAME"],
                    Sort = int.TryParse((string)status["SORT"], NumberStyles.Integer, CultureInfo.InvariantCulture, out var sort) ? sort : 0,
                });
            foreach (var currency in (currencies as JArray ?? new JArray()).OfType<JObject>())
                entries.Add(new DirectoryEntry
                {
                    EntityId = "CURRENCY",
                    StatusId = (string)currency["CURRENCY"],
                    Name = (string)currency["FULL_NAME"],
                    Sort = int.TryParse((string)currency["SORT"], NumberStyles.Integer, CultureInfo.InvariantCulture, out var sort) ? sort : 0,
                });
            return entries;
        }
    }
}
