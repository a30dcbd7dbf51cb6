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
        /// <summary>A smart process's camelCase name for the field (ufCrm5_Amount), as its items show it; null for the classic entities.</summary>
        public string ItemName { get; internal set; }
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

        private static string CacheKey(CrmEntity entity) => entity.IsSmartProcess ? ItemTypeKey(entity.EntityTypeId) : entity.Method("schema");

        public CrmEntity Entity { get; }
        /// <summary>The entity's pipelines (crm.category.list), empty for entities without them.</summary>
        public IReadOnlyList<Pipeline> Pipelines { get; }

        /// <summary>The pipeline a record is in when nothing says otherwise (a deal's 0; a smart process's isDefault one).</summary>
        public int DefaultPipeline => Pipelines.FirstOrDefault(p => p.IsDefault)?.Id ?? Pipelines.FirstOrDefault()?.Id ?? 0;

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
            ?? DirectoryId(Entity.StageDirectory(DefaultPipeline), stageId);

        public DateTimeOffset LoadedAt { get; }
        public IEnumerable<CrmFieldInfo> Fields => _fields.Values;

        /// <summary>How many fields the portal described.</summary>
        internal int FieldCount => _fields.Count;

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
            if (entity.IsSmartProcess) return await GetItemTypeAsync(client, entity.EntityTypeId, cancellation, log, refresh).ConfigureAwait(false);
            var read = await ReadAllAsync(client, cancellation, log).ConfigureAwait(false);
            if (read.Schemas.TryGetValue(entity, out var schema)) return schema;
            throw read.Errors[entity];
        }

        /// <summary>A schema whose directories (crm.status.list answers them all) this credential may read: one already
        /// cached, else the first <see cref="ReadAllAsync"/> reads.</summary>
        public static async Task<CrmSchema> GetDirectoriesAsync(Bitrix24Client client, CancellationToken cancellation, Action<string> log, bool refresh = false)
        {
            var cached = refresh ? null : CrmEntity.All.Select(e => Cached(client, e)).FirstOrDefault(c => c != null);
            if (cached != null) return cached;
            var read = await ReadAllAsync(client, cancellation, log).ConfigureAwait(false);
            return read.Schemas.Values.FirstOrDefault() ?? throw read.Errors.Values.First();
        }

        /// <summary>What <see cref="ReadAllAsync"/> read: each entity's schema, or why it could not be read.</summary>
        public sealed class SchemaRead
        {
            internal SchemaRead(IReadOnlyDictionary<CrmEntity, CrmSchema> schemas, IReadOnlyDictionary<CrmEntity, Bitrix24Exception> errors)
            {
                Schemas = schemas;
                Errors = errors;
            }

            public IReadOnlyDictionary<CrmEntity, CrmSchema> Schemas { get; }
            public IReadOnlyDictionary<CrmEntity, Bitrix24Exception> Errors { get; }
        }

        /// <summary>
        /// Every entity's fields and pipelines and the shared directories, in one batch request (a script that
        /// touches deals after leads sends no second one, and a bulk run starts with its bucket whole), cached for
        /// the connection. An entity the credential may not read (a scope, a permission) is left out, with its error.
        /// </summary>
        public static async Task<SchemaRead> ReadAllAsync(Bitrix24Client client, CancellationToken cancellation, Action<string> log)
        {
            var connection = client.Connection;
            // On the crm.item route the fields come from crm.item.fields (a portal that retires crm.lead.fields
            // keeps working), named by their upperName so the engine sees the same names on both routes.
            var itemRoute = connection.Api == CrmApi.Item;
            var items = new List<BatchItem>
            {
                new BatchItem("statuses", "crm.status.list", null),
                new BatchItem("currencies", "crm.currency.list", null),
            };
            foreach (var each in CrmEntity.All)
            {
                items.Add(itemRoute ? new BatchItem(each.ApiName, "crm.item.fields", TypeParameter(each.EntityTypeId)) : new BatchItem(each.ApiName, each.Method("fields"), null));
                if (each.PipelineField != null)
                    items.Add(new BatchItem(each.ApiName + "_pipelines", "crm.category.list", TypeParameter(each.EntityTypeId)));
            }
            var answers = await CallBatchAsync(client, items, cancellation, log).ConfigureAwait(false);
            var directory = ReadDirectory(answers["statuses"].Result, answers["currencies"].Result);
            var schemas = new Dictionary<CrmEntity, CrmSchema>();
            var errors = new Dictionary<CrmEntity, Bitrix24Exception>();
            foreach (var each in CrmEntity.All)
            {
                var answer = answers[each.ApiName];
                if (answer.Failed || !(answer.Result is JObject fieldsJson))
                {
                    errors[each] = new Bitrix24Exception(itemRoute ? "crm.item.fields" : each.Method("fields"), answer.ErrorCode, answer.ErrorDescription ?? "no field descriptions", 0);
                    continue;
                }
                if (itemRoute) fieldsJson = fieldsJson["fields"] as JObject ?? new JObject();
                var pipelines = each.PipelineField == null ? new List<Pipeline>() : ReadPipelines(answers[each.ApiName + "_pipelines"], withGeneral: true);
                // By the names the engine gives the item route's fields (a lead's stageId is STATUS_ID), whatever upperName says.
                var fields = itemRoute ? ReadFields(fieldsJson, camel => each.UpperName(camel)) : ReadFields(fieldsJson);
                var schema = new CrmSchema(each, fields, directory, pipelines);
                connection.Cache[CacheKey(each)] = schema;
                schemas[each] = schema;
            }
            log?.Invoke($"Read the portal's fields of {string.Join(", ", schemas.Select(p => $"{p.Key.Plural} ({p.Value.FieldCount})"))} and its directories ({directory.Count} entries)." +
                        (errors.Count == 0 ? "" : $" Not read: {string.Join(", ", errors.Select(e => $"{e.Key.Plural} ({e.Value.Description})"))}."));
            return new SchemaRead(schemas, errors);
        }

        private static JObject TypeParameter(int entityTypeId) => new JObject { ["entityTypeId"] = entityTypeId };

        /// <summary>One batch request; each command's answer by its name.</summary>
        private static async Task<IDictionary<string, BatchCommandResult>> CallBatchAsync(Bitrix24Client client, List<BatchItem> items,
                                                                                           CancellationToken cancellation, Action<string> log)
        {
            var reply = await client.CallBatchAsync(items, cancellation, log).ConfigureAwait(false);
            var answers = new Dictionary<string, BatchCommandResult>(StringComparer.Ordinal);
            for (var i = 0; i < items.Count; i++) answers[items[i].Name] = reply.Results[i];
            return answers;
        }

        private const string ItemTypesKey = "crm.type.list";

        private static string ItemTypeKey(int entityTypeId) => "crm.item." + entityTypeId.ToString(CultureInfo.InvariantCulture) + ".schema";

        /// <summary>
        /// The schema of CRM type <paramref name="entityTypeId"/> (a smart process), with the entity it
        /// describes: its fields (crm.item.fields), pipelines (crm.category.list), the directories (stages
        /// DYNAMIC_&lt;type&gt;_STAGE_&lt;pipeline&gt;) and its title (crm.type.list, which needs CRM admin
        /// rights: without them the type is named by its id). One batch request, cached per connection.
        /// </summary>
        public static async Task<CrmSchema> GetItemTypeAsync(Bitrix24Client client, int entityTypeId, CancellationToken cancellation, Action<string> log, bool refresh = false)
        {
            var connection = client.Connection;
            if (!refresh && connection.Cache.TryGetValue(ItemTypeKey(entityTypeId), out var cached)) return (CrmSchema)cached;
            var id = entityTypeId.ToString(CultureInfo.InvariantCulture);
            // The title and the directories (stages included) come from what the connection already read, if it did.
            var type = refresh || !connection.Cache.TryGetValue(ItemTypesKey, out var types) ? null
                     : ((IReadOnlyList<CrmItemType>)types).FirstOrDefault(t => t.EntityTypeId == entityTypeId);
            var directory = refresh ? null : CrmEntity.All.Select(e => Cached(client, e)?._directory).FirstOrDefault(d => d != null);
            var items = new List<BatchItem>
            {
                new BatchItem("fields", "crm.item.fields", TypeParameter(entityTypeId)),
                new BatchItem("pipelines", "crm.category.list", TypeParameter(entityTypeId)),
            };
            if (type == null) items.Add(new BatchItem("type", "crm.type.list", new JObject { ["filter"] = TypeParameter(entityTypeId) }));
            if (directory == null) { items.Add(new BatchItem("statuses", "crm.status.list", null)); items.Add(new BatchItem("currencies", "crm.currency.list", null)); }
            var answers = await CallBatchAsync(client, items, cancellation, log).ConfigureAwait(false);
            var fields = answers["fields"];
            if (fields.Failed || !(fields.Result?["fields"] is JObject fieldsJson))
                throw new Bitrix24Exception("crm.item.fields", fields.ErrorCode, fields.ErrorDescription ?? "no field descriptions", 0);
            // crm.type.list needs CRM admin rights: without them the type is named by its id.
            if (type == null && !answers["type"].Failed)
                type = (answers["type"].Result?["types"] as JArray)?.OfType<JObject>().Select(CrmItemType.Read).FirstOrDefault(t => t.EntityTypeId == entityTypeId);
            var entity = CrmEntity.ForItemType(entityTypeId, type?.Title, fieldsJson);
            directory = directory ?? ReadDirectory(answers["statuses"].Result, answers["currencies"].Result);
            var pipelines = entity.PipelineField == null ? new List<Pipeline>() : ReadPipelines(answers["pipelines"], withGeneral: false);
            var schema = new CrmSchema(entity, ReadFields(fieldsJson, itemNames: true), directory, pipelines);
            connection.Cache[ItemTypeKey(entityTypeId)] = schema;
            log?.Invoke($"Read the portal's fields of {entity.Name} (entityTypeId {id}, {fieldsJson.Count} fields, {pipelines.Count} pipeline(s)).");
            return schema;
        }

        /// <summary>The portal's CRM types (crm.type.list, 50 per page), cached per connection.</summary>
        public static async Task<IReadOnlyList<CrmItemType>> GetItemTypesAsync(Bitrix24Client client, CancellationToken cancellation, Action<string> log, bool refresh = false)
        {
            var connection = client.Connection;
            if (!refresh && connection.Cache.TryGetValue(ItemTypesKey, out var cached)) return (IReadOnlyList<CrmItemType>)cached;
            var rows = await client.ListAllAsync("crm.type.list", new JObject { ["order"] = new JObject { ["entityTypeId"] = "ASC" } },
                                                 cancellation, log, rowsKey: "types").ConfigureAwait(false);
            var types = rows.Select(CrmItemType.Read).ToList();
            connection.Cache[ItemTypesKey] = types;
            return types;
        }

        /// <summary>crm.category.list answers {categories: [{id, name, sort, isDefault}]}; without an answer only
        /// a deal's default pipeline (0, <paramref name="withGeneral"/>) is known.</summary>
        private static List<Pipeline> ReadPipelines(BatchCommandResult answer, bool withGeneral)
        {
            var list = (answer.Failed ? null : answer.Result?["categories"] as JArray)?.OfType<JObject>()
                       .Select(c => new Pipeline
                       {
                           Id = (int?)c["id"] ?? 0, Name = (string)c["name"] ?? "",
                           Sort = (int?)c["sort"] ?? 0,
                           IsDefault = new[] { "Y", "TRUE" }.Contains(((string)c["isDefault"] ?? "").ToUpperInvariant()) || withGeneral && ((int?)c["id"] ?? 0) == 0,
                       })
                       .OrderBy(p => p.Sort).ToList() ?? new List<Pipeline>();
            if (withGeneral && !list.Any(p => p.Id == 0)) list.Insert(0, new Pipeline { Id = 0, Name = "General", IsDefault = true });
            return list;
        }

        /// <summary>The cached schema, or null when it was not read yet (never calls the portal).</summary>
        public static CrmSchema Cached(Bitrix24Client client, CrmEntity entity) =>
            client.Connection.Cache.TryGetValue(CacheKey(entity), out var cached) ? (CrmSchema)cached : null;

        /// <summary>Field descriptions by the engine's names: <paramref name="nameOf"/> of the key when given and known,
        /// else crm.item.fields' upperName, else the key; a smart process's keys are kept as <see cref="CrmFieldInfo.ItemName"/>.</summary>
        private static Dictionary<string, CrmFieldInfo> ReadFields(JObject json, Func<string, string> nameOf = null, bool itemNames = false)
        {
            var fields = new Dictionary<string, CrmFieldInfo>(StringComparer.OrdinalIgnoreCase);
            foreach (var property in json.Properties())
            {
                if (!(property.Value is JObject d)) continue;
                var items = new Dictionary<string, string>();
                if (d["items"] is JArray list)
                    foreach (var item in list.OfType<JObject>()) items[(string)item["ID"] ?? ""] = (string)item["VALUE"] ?? "";
                // crm.item.fields names a field by its camelCase key; upperName is the name the engine uses.
                var name = nameOf?.Invoke(property.Name) ?? (string)d["upperName"] ?? property.Name;
                fields[name] = new CrmFieldInfo
                {
                    Name = name,
                    ItemName = itemNames ? property.Name : null,
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
