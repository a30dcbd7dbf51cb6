using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;
using System.Runtime.CompilerServices;
using System.Threading;
using Newtonsoft.Json.Linq;
using Bitrix24.PowerShell.Base;
using Bitrix24.Rest.Connections;
using Bitrix24.Rest.Crm;
using Bitrix24.Rest.Users;

namespace Bitrix24.PowerShell.Completers
{
    /// <summary>
    /// Completes directory values (stages, sources, types, currencies, salutations), pipelines and field
    /// names from the connected portal's schema of the command's entity (Set-B24Deal: deals). Uses the
    /// cached schema; if there is none yet it tries once, briefly, and completes nothing (silently) when
    /// the portal cannot be reached.
    /// </summary>
    public abstract class SchemaCompleter : IArgumentCompleter
    {
        private static readonly TimeSpan LoadTimeout = TimeSpan.FromSeconds(3);

        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
                                                              CommandAst commandAst, IDictionary fakeBoundParameters)
        {
            var schema = Schema(commandName, fakeBoundParameters);
            if (schema == null) return Enumerable.Empty<CompletionResult>();
            var typed = (wordToComplete ?? "").Trim('\'', '"');
            return Candidates(schema, parameterName, fakeBoundParameters)
                .Where(c => c.Value.StartsWith(typed, StringComparison.OrdinalIgnoreCase))
                .Select(c => new CompletionResult(c.Value, c.Value, CompletionResultType.ParameterValue, string.IsNullOrEmpty(c.Tip) ? c.Value : c.Tip))
                .ToList();
        }

        protected abstract IEnumerable<(string Value, string Tip)> Candidates(CrmSchema schema, string parameterName, IDictionary fakeBoundParameters);

        /// <summary>The noun after B24: Set-B24DealContact → DealContact.</summary>
        private static string NounOf(string commandName)
        {
            var at = (commandName ?? "").IndexOf("-B24", StringComparison.OrdinalIgnoreCase);
            return at < 0 ? "" : commandName.Substring(at + 4);
        }

        /// <summary>The entity a command works on, from its noun: Set-B24Deal → Deal (null for a noun of no kind,
        /// such as TimelineComment, whose kind is its -EntityType).</summary>
        internal static CrmEntity EntityOf(string commandName)
        {
            var noun = NounOf(commandName);
            return CrmEntity.All.Where(e => noun.StartsWith(e.Name, StringComparison.OrdinalIgnoreCase))
                                .OrderByDescending(e => e.Name.Length).FirstOrDefault();
        }

        /// <summary>The connection the command line would use: its -Connection, else the session.</summary>
        internal static Bitrix24Connection ConnectionFrom(IDictionary fakeBoundParameters)
        {
            var connection = (fakeBoundParameters?["Connection"] as PSObject)?.BaseObject as Bitrix24Connection
                             ?? fakeBoundParameters?["Connection"] as Bitrix24Connection
                             ?? SessionStore.Current;
            return connection == null || connection.IsClosed ? null : connection;
        }

        /// <summary>True for the commands of any CRM type (Set-B24Item, Get-B24ItemPipeline …), whose entity is -EntityTypeId or -Type.</summary>
        private static bool IsItemCommand(string commandName) =>
            NounOf(commandName).StartsWith("Item", StringComparison.OrdinalIgnoreCase);

        private static CrmSchema Schema(string commandName, IDictionary fakeBoundParameters)
        {
            var connection = ConnectionFrom(fakeBoundParameters);
            if (connection == null) return null;
            var entity = IsItemCommand(commandName) ? null : EntityOf(commandName);
            if (entity == null && !IsItemCommand(commandName)) return null;
            var cached = entity == null ? null : CrmSchema.Cached(connection.Client, entity);
            if (cached != null) return cached;
            try
            {
                using (var timeout = new CancellationTokenSource(LoadTimeout))
                {
                    if (entity != null) return CrmSchema.GetAsync(connection.Client, entity, timeout.Token, null).GetAwaiter().GetResult();
                    var type = ItemTypeCompleter.TypeIdFrom(connection, fakeBoundParameters, timeout.Token);
                    return type == null ? null : CrmSchema.GetItemTypeAsync(connection.Client, type.Value, timeout.Token, null).GetAwaiter().GetResult();
                }
            }
            catch (Exception)
            {
                return null;   // offline or refused: completion just offers nothing
            }
        }
    }

    /// <summary>The values of a directory field (-StatusId, -SourceId, -TypeId, -Industry, -CurrencyId …);
    /// for a deal's -StageId, the stages of the pipeline in play (-CategoryId), else of every pipeline.</summary>
    public sealed class DirectoryCompleter : SchemaCompleter
    {
        protected override IEnumerable<(string, string)> Candidates(CrmSchema schema, string parameterName, IDictionary fakeBoundParameters)
        {
            var field = schema.Entity.Find(parameterName);
            if (field == null) return Enumerable.Empty<(string, string)>();
            if (field.ApiName == schema.Entity.StageField)
            {
                var given = fakeBoundParameters?["CategoryId"];
                var pipelines = given != null && int.TryParse(given.ToString(), out var category)
                    ? schema.Pipelines.Where(p => p.Id == category) : schema.Pipelines;
                return pipelines.SelectMany(p => schema.Directory(schema.Entity.StageDirectory(p.Id)).Select(d => (d.StatusId, $"{d.Name} ({p.Name})")));
            }
            var directory = schema.Entity.DirectoryOf(field.ApiName);
            return directory == null ? Enumerable.Empty<(string, string)>() : schema.Directory(directory).Select(d => (d.StatusId, d.Name));
        }
    }

    /// <summary>Pipelines (-CategoryId, Get-B24DealPipeline -Id): the id, with the name as the tooltip.</summary>
    public sealed class PipelineCompleter : SchemaCompleter
    {
        protected override IEnumerable<(string, string)> Candidates(CrmSchema schema, string parameterName, IDictionary fakeBoundParameters) =>
            schema.Pipelines.Select(p => (p.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), p.Name));
    }

    /// <summary>Field names of the command's entity (API names, custom fields included), plus * and UF_*.</summary>
    public sealed class FieldNameCompleter : SchemaCompleter
    {
        protected override IEnumerable<(string, string)> Candidates(CrmSchema schema, string parameterName, IDictionary fakeBoundParameters) =>
            new[] { ("*", "all standard fields"), ("UF_*", "all custom fields") }
                .Concat(schema.Fields.OrderBy(f => f.IsCustom).ThenBy(f => f.Name, StringComparer.Ordinal)
                              .Select(f => (schema.Entity.DisplayName(f.Name), $"{f.Title} ({f.Type})")));
    }

    /// <summary>
    /// The portal's CRM types (crm.type.list, read once per connection): -Type completes titles, -EntityTypeId
    /// ids, each with the other as the tooltip.
    /// </summary>
    public sealed class ItemTypeCompleter : IArgumentCompleter
    {
        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
                                                              CommandAst commandAst, IDictionary fakeBoundParameters)
        {
            var connection = SchemaCompleter.ConnectionFrom(fakeBoundParameters);
            if (connection == null) return Enumerable.Empty<CompletionResult>();
            var types = Types(connection, CancellationToken.None);
            var typed = (wordToComplete ?? "").Trim('\'', '"');
            var byTitle = string.Equals(parameterName, "Type", StringComparison.OrdinalIgnoreCase);
            return types.Select(t => byTitle
                            ? (Value: t.Title, Tip: $"entityTypeId {t.EntityTypeId}")
                            : (Value: t.EntityTypeId.ToString(System.Globalization.CultureInfo.InvariantCulture), Tip: t.Title))
                        .Where(c => c.Value.StartsWith(typed, StringComparison.OrdinalIgnoreCase))
                        .Select(c => new CompletionResult(byTitle ? Quote(c.Value) : c.Value, c.Value, CompletionResultType.ParameterValue, c.Tip))
                        .ToList();
        }

        private static string Quote(string title) => title.IndexOfAny(new[] { ' ', '#', '\'', '"', '$', '`', ';', '(', ')' }) < 0 ? title : "'" + title.Replace("'", "''") + "'";

        private static IReadOnlyList<CrmItemType> Types(Bitrix24Connection connection, CancellationToken cancellation)
        {
            try
            {
                using (var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellation))
                {
                    timeout.CancelAfter(TimeSpan.FromSeconds(3));
                    return CrmSchema.GetItemTypesAsync(connection.Client, timeout.Token, null).GetAwaiter().GetResult();
                }
            }
            catch (Exception)
            {
                return new CrmItemType[0];   // offline, or no CRM admin rights (crm.type.list needs them)
            }
        }

        /// <summary>The entityTypeId a command line names: its -EntityTypeId, else its -Type's.</summary>
        internal static int? TypeIdFrom(Bitrix24Connection connection, IDictionary fakeBoundParameters, CancellationToken cancellation)
        {
            var given = fakeBoundParameters?["EntityTypeId"];
            if (given != null && int.TryParse(given.ToString(), out var id)) return id;
            var title = fakeBoundParameters?["Type"]?.ToString();
            if (string.IsNullOrEmpty(title)) return null;
            return CrmItemType.Titled(Types(connection, cancellation), title)?.EntityTypeId;
        }
    }

    /// <summary>
    /// Users (ASSIGNED_BY_ID and other user fields) from user.get, read once per connection: the id is
    /// completed, by the start of the id or any part of the name, with the name as the tooltip.
    /// </summary>
    public sealed class UserIdCompleter : IArgumentCompleter
    {
        private static readonly ConditionalWeakTable<Bitrix24Connection, List<(string Id, string Name)>> Users =
            new ConditionalWeakTable<Bitrix24Connection, List<(string, string)>>();

        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
                                                              CommandAst commandAst, IDictionary fakeBoundParameters)
        {
            var connection = SchemaCompleter.ConnectionFrom(fakeBoundParameters);
            if (connection == null) return Enumerable.Empty<CompletionResult>();
            if (!Users.TryGetValue(connection, out var users))
            {
                try
                {
                    using (var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(3)))
                    {
                        // Every page, active users only (user/user-get.md: 50 per page; ACTIVE = true leaves out dismissed users).
                        users = new UserDirectory(connection.Client).ListAsync(null, includeInactive: false, timeout.Token).GetAwaiter().GetResult()
                            .Select(u => ((string)u["ID"], UserDirectory.DisplayName(u)))
                            .ToList();
                    }
                }
                catch (Exception)
                {
                    return Enumerable.Empty<CompletionResult>();   // offline or no user scope: nothing to offer
                }
                var loaded = users;
                users = Users.GetValue(connection, _ => loaded);
            }
            var typed = (wordToComplete ?? "").Trim('\'', '"');
            return users.Where(u => u.Id.StartsWith(typed, StringComparison.Ordinal) || u.Name.IndexOf(typed, StringComparison.OrdinalIgnoreCase) >= 0)
                        .Select(u => new CompletionResult(u.Id, $"{u.Id} {u.Name}", CompletionResultType.ParameterValue, u.Name))
                        .ToList();
        }
    }

    /// <summary>
    /// Record ids: the 50 newest records of the command's kind (its noun, or -EntityType / -EntityTypeId) whose id
    /// starts with what was typed or whose title has it; a word that is not a number is looked for in the titles
    /// by the portal (%TITLE, or %NAME for contacts). Read afresh each time (records change), within 3 seconds.
    /// </summary>
    public sealed class RecordIdCompleter : IArgumentCompleter
    {
        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
                                                              CommandAst commandAst, IDictionary fakeBoundParameters)
        {
            var connection = SchemaCompleter.ConnectionFrom(fakeBoundParameters);
            if (connection == null) return Enumerable.Empty<CompletionResult>();
            var typed = (wordToComplete ?? "").Trim('\'', '"');
            var itemCommand = (commandName ?? "").IndexOf("-B24Item", StringComparison.OrdinalIgnoreCase) >= 0;
            if (itemCommand && fakeBoundParameters?["EntityTypeId"] == null) return Enumerable.Empty<CompletionResult>();   // which type is not said yet
            var typeId = fakeBoundParameters?["EntityTypeId"] is object given && int.TryParse(PSValue.Unwrap(given)?.ToString(), out var number) ? number
                       : fakeBoundParameters?["EntityType"] is object name ? CrmEntity.Named(PSValue.Unwrap(name)?.ToString())?.EntityTypeId ?? 0
                       : SchemaCompleter.EntityOf(commandName)?.EntityTypeId ?? 0;
            if (typeId == 0) return Enumerable.Empty<CompletionResult>();   // a command of no kind, and -EntityType not said yet
            var classic = CrmEntity.All.FirstOrDefault(e => e.EntityTypeId == typeId);
            var titleField = classic == CrmEntity.Contact ? "NAME" : "TITLE";
            var searched = typed.Length > 0 && !typed.All(char.IsDigit);
            JObject parameters;
            string method;
            if (classic != null && connection.Api == CrmApi.Classic)
            {
                method = classic.Method("list");
                // start = -1: no count of all matches (settings/performance/huge-data.md), the first 50 are enough.
                parameters = new JObject { ["order"] = new JObject { ["ID"] = "DESC" }, ["select"] = new JArray("ID", titleField, "LAST_NAME"), ["start"] = -1 };
                if (searched) parameters["filter"] = new JObject { ["%" + titleField] = typed };
            }
            else
            {
                method = "crm.item.list";
                parameters = new JObject { ["entityTypeId"] = typeId, ["order"] = new JObject { ["id"] = "DESC" }, ["select"] = new JArray("id", "title", "name", "lastName") };
                if (searched) parameters["filter"] = new JObject { ["%" + (classic == CrmEntity.Contact ? "name" : "title")] = typed };
            }
            List<(string Id, string Title)> records;
            try
            {
                using (var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(3)))
                {
                    var answer = connection.Client.CallAsync(method, parameters, timeout.Token).GetAwaiter().GetResult().Result;
                    var rows = (answer as JArray ?? answer?["items"] as JArray ?? new JArray()).OfType<JObject>();
                    records = rows.Select(r => ((string)(r["ID"] ?? r["id"]),
                                                string.Join(" ", new[] { (string)(r["TITLE"] ?? r["title"] ?? r["NAME"] ?? r["name"]), (string)(r["LAST_NAME"] ?? r["lastName"]) }
                                                                 .Where(t => !string.IsNullOrEmpty(t)))))
                                  .ToList();
                }
            }
            catch (Exception)
            {
                return Enumerable.Empty<CompletionResult>();   // offline, no right to read them: nothing to offer
            }
            return records.Where(r => searched || r.Id.StartsWith(typed, StringComparison.Ordinal))
                          .Select(r => new CompletionResult(r.Id, $"{r.Id} {r.Title}", CompletionResultType.ParameterValue, string.IsNullOrEmpty(r.Title) ? r.Id : r.Title))
                          .ToList();
        }
    }

    /// <summary>Directory names for Get-B24Status (ArgumentCompletions is not in Windows PowerShell 5.1).</summary>
    public sealed class EntityIdCompleter : IArgumentCompleter
    {
        private static readonly (string Id, string Tip)[] Known =
        {
            ("STATUS", "lead stages"), ("SOURCE", "lead sources"), ("HONORIFIC", "salutations"), ("CURRENCY", "currencies"),
            ("DEAL_STAGE", "deal stages of the default pipeline"), ("DEAL_STAGE_1", "deal stages of pipeline 1"), ("DEAL_TYPE", "deal types"),
            ("CONTACT_TYPE", "contact types"), ("COMPANY_TYPE", "company types"), ("INDUSTRY", "industries"), ("EMPLOYEES", "company sizes"),
        };

        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
                                                              CommandAst commandAst, IDictionary fakeBoundParameters) =>
            Known.Where(k => k.Id.StartsWith((wordToComplete ?? "").Trim('\'', '"'), StringComparison.OrdinalIgnoreCase))
                 .Select(k => new CompletionResult(k.Id, k.Id, CompletionResultType.ParameterValue, k.Tip));
    }
}
