using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Bitrix24.Rest.Batch;
using Bitrix24.Rest.Transport;
using Newtonsoft.Json.Linq;

namespace Bitrix24.Rest.Crm
{
    /// <summary>One field as crm.&lt;entity&gt;.fields describes it.</summary>
    public sealed class CrmFieldInfo
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
        public bool IsCustom => CrmFieldCatalog.IsCustomFieldName(Name);
        /// <summary>Enumeration items: id → label.</summary>
        public IReadOnlyDictionary<string, string> Items { get; internal set; } = new Dictionary<string, string>();
        public override string ToString() => Name;
    }

    /// <summary>A pipeline (crm.category.list): deals and smart-process items live in one, each with its own stages.</summary>
    public sealed class Pipeline
    {
        public int Id { get; internal set; }
        public string Name { get; internal set; }
        public int Sort { get; internal set; }
        public bool IsDefault { get; internal set; }
        public override string ToString() => $"{Id} ({Name})";
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
    /// The portal's own description of one entity's fields (crm.&lt;entity&gt;.fields), of the values its
    /// directory fields accept (crm.status.list, crm.currency.list) and of its pipelines
    /// (crm.category.list), read in one batch request and cached per connection and entity. Validation uses it so that a custom field's type, an enumeration's items and the
    /// portal's own stages are checked before anything is sent.
    /// </summary>
    public sealed class CrmSchema
    {
        private readonly Dictionary<string, CrmFieldInfo> _fields;
        private readonly List<DirectoryEntry> _directory;

        private CrmSchema(CrmEntity entity, Dictionary<string, CrmFieldInfo> fields, List<DirectoryEntry> directory, List<Pipeline> pipelines)
        {
            Entity = entity;
            _fields = fields;
            _directory = directory;
            Pipelines = pipelines;
            LoadedAt = DateTimeOffset.Now;
        }

        private static string CacheKey(CrmEntity entity) => entity.Method("schema");

        public CrmEntity Entity { get; }
        /// <summary>The entity's pipelines (crm.category.list), empty for entities without them.</summary>
        public IReadOnlyList<Pipeline> Pipelines { get; }

        /// <summary>A pipeline by id or name, or null.</summary>
        public Pipeline FindPipeline(string idOrName) =>
            Pipelines.FirstOrDefault(p => p.Id.ToString(CultureInfo.InvariantCulture) == idOrName?.Trim())
            ?? Pipelines.FirstOrDefault(p => string.Equals(p.Name, idOrName?.Trim(), StringComparison.OrdinalIgnoreCase));

        /// <summary>The stages of pipeline <paramref name="categoryId"/>, in order.</summary>
        public IList<string> Stages(int categoryId) => DirectoryIds(Entity.StageDirectory(categoryId));

        /// <summary>Says what is wrong with moving to <paramref name="stageId"/> in pipeline <paramref name="categoryId"/>, or null when the stage is one of its own.</summary>
        public string StageProblem(string stageId, int categoryId)
        {
            var stages = Stages(categoryId);
            if (stages.Count == 0 || DirectoryId(Entity.StageDirectory(categoryId), stageId) != null) return null;
            var pipeline = Pipelines.FirstOrDefault(p => p.Id == categoryId);
            var name = pipeline != null ? $"pipeline {categoryId} ({pipeline.Name})" : $"pipeline {categoryId}";
            var elsewhere = Pipelines.Where(p => p.Id != categoryId && DirectoryId(Entity.StageDirectory(p.Id), stageId) != null).ToList();
            var hint = elsewhere.Count > 0 ? $" '{stageId}' is a stage of pipeline {elsewhere[0].Id} ({elsewhere[0].Name}); moving to another pipeline needs -CategoryId." : "";
            return $"'{stageId}' is not a stage of {name}; its stages are {string.Join(", ", stages)}.{hint}";
        }

        /// <summary>The id as the portal spells it when <paramref name="stageId"/> is a stage of any pipeline, else null.</summary>
        public string AnyStage(string stageId) =>
            Pipelines.Select(p => DirectoryId(Entity.StageDirectory(p.Id), stageId)).FirstOrDefault(s => s != null)
            ?? DirectoryId(Entity.StageDirectory(0), stageId);

        public DateTimeOffset LoadedAt { get; }
        public IEnumerable<CrmFieldInfo> Fields => _fields.Values;

        public CrmFieldInfo Find(string name) => name != null && _fields.TryGetValue(name, out var field) ? field : null;

        /// <summary>Entries of one directory: STATUS, SOURCE, HONORIFIC, or CURRENCY.</summary>
        public IEnumerable<DirectoryEntry> Directory(string entityId) =>
            _directory.Where(d => string.Equals(d.EntityId, entityId, StringComparison.OrdinalIgnoreCase)).OrderBy(d => d.Sort);

        private readonly System.Collections.Concurrent.ConcurrentDictionary<string, IList<string>> _ids =
            new System.Collections.Concurrent.ConcurrentDictionary<string, IList<string>>(StringComparer.OrdinalIgnoreCase);

        /// <summary>The ids of one directory in order (cached: checked for every record of a bulk run).</summary>
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

        /// <summary>The cached schema of the connection, read on first use (one batch request).</summary>
        public static async Task<CrmSchema> GetAsync(Bitrix24Client client, CrmEntity entity, CancellationToken cancellation, Action<string> log, bool refresh = false)
        {
            var connection = client.Connection;
            if (!refresh && connection.Cache.TryGetValue(CacheKey(entity), out var cached)) return (CrmSchema)cached;
            // Every entity's fields in the one request (a script that touches deals after leads sends no
            // second one, and a bulk run starts with its bucket whole); the directories are shared.
            var cmd = new JObject
            {
                ["statuses"] = "crm.status.list",
                ["currencies"] = "crm.currency.list",
            };
            foreach (var each in CrmEntity.All)
            {
                cmd[each.ApiName] = each.Method("fields");
                if (each.PipelineField != null)
                    cmd[each.ApiName + "_pipelines"] = "crm.category.list?entityTypeId=" + each.EntityTypeId.ToString(CultureInfo.InvariantCulture);
            }
            var response = await client.CallAsync("batch", new JObject { ["halt"] = 0, ["cmd"] = cmd }, cancellation, log).ConfigureAwait(false);
            var answers = BatchAnswer.Read(response.Result, cmd.Properties().Select(p => p.Name).ToList());
            var directory = ReadDirectory(answers["statuses"].Result, answers["currencies"].Result);
            var read = new List<string>();
            foreach (var each in CrmEntity.All)
            {
                // An entity the credential may not read (a scope, a permission) is left out; asking for it fails below.
                if (answers[each.ApiName].Failed || !(answers[each.ApiName].Result is JObject fieldsJson)) continue;
                var pipelines = each.PipelineField == null ? new List<Pipeline>() : ReadPipelines(answers[each.ApiName + "_pipelines"]);
                connection.Cache[CacheKey(each)] = new CrmSchema(each, ReadFields(fieldsJson), directory, pipelines);
                read.Add($"{each.ApiName}s ({fieldsJson.Count})");
            }
            log?.Invoke($"Read the portal's fields of {string.Join(", ", read)} and its directories ({directory.Count} entries).");
            var answer = answers[entity.ApiName];
            if (answer.Failed || !connection.Cache.TryGetValue(CacheKey(entity), out var schema))
                throw new Bitrix24Exception(entity.Method("fields"), answer.ErrorCode, answer.ErrorDescription ?? "no field descriptions", 0);
            return (CrmSchema)schema;
        }

        /// <summary>crm.category.list answers {categories: [{id, name, sort, isDefault}]}; without an answer only the default pipeline is known.</summary>
        private static List<Pipeline> ReadPipelines(BatchCommandResult answer)
        {
            var list = (answer.Failed ? null : answer.Result?["categories"] as JArray)?.OfType<JObject>()
                       .Select(c => new Pipeline
                       {
                           Id = (int?)c["id"] ?? 0, Name = (string)c["name"] ?? "",
                           Sort = (int?)c["sort"] ?? 0,
                           IsDefault = new[] { "Y", "TRUE" }.Contains(((string)c["isDefault"] ?? "").ToUpperInvariant()) || ((int?)c["id"] ?? 0) == 0,
                       })
                       .OrderBy(p => p.Sort).ToList() ?? new List<Pipeline>();
            if (!list.Any(p => p.Id == 0)) list.Insert(0, new Pipeline { Id = 0, Name = "General", IsDefault = true });
            return list;
        }

        /// <summary>The cached schema, or null when it was not read yet (never calls the portal).</summary>
        public static CrmSchema Cached(Bitrix24Client client, CrmEntity entity) =>
            client.Connection.Cache.TryGetValue(CacheKey(entity), out var cached) ? (CrmSchema)cached : null;

        private static Dictionary<string, CrmFieldInfo> ReadFields(JObject json)
        {
            var fields = new Dictionary<string, CrmFieldInfo>(StringComparer.OrdinalIgnoreCase);
            foreach (var property in json.Properties())
            {
                if (!(property.Value is JObject d)) continue;
                var items = new Dictionary<string, string>();
                if (d["items"] is JArray list)
                    foreach (var item in list.OfType<JObject>()) items[(string)item["ID"] ?? ""] = (string)item["VALUE"] ?? "";
                fields[property.Name] = new CrmFieldInfo
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
