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
using Bitrix24.Rest.Crm.Leads;

namespace Bitrix24.PowerShell.Completers
{
    /// <summary>
    /// Completes directory values (stages, sources, currencies, salutations) and field names from the
    /// connected portal's schema. Uses the cached schema; if there is none yet it tries once, briefly,
    /// and completes nothing (silently) when the portal cannot be reached.
    /// </summary>
    public abstract class SchemaCompleter : IArgumentCompleter
    {
        private static readonly TimeSpan LoadTimeout = TimeSpan.FromSeconds(3);

        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
                                                              CommandAst commandAst, IDictionary fakeBoundParameters)
        {
            var schema = Schema(fakeBoundParameters);
            if (schema == null) return Enumerable.Empty<CompletionResult>();
            var typed = (wordToComplete ?? "").Trim('\'', '"');
            return Candidates(schema)
                .Where(c => c.Value.StartsWith(typed, StringComparison.OrdinalIgnoreCase))
                .Select(c => new CompletionResult(c.Value, c.Value, CompletionResultType.ParameterValue, string.IsNullOrEmpty(c.Tip) ? c.Value : c.Tip))
                .ToList();
        }

        protected abstract IEnumerable<(string Value, string Tip)> Candidates(LeadSchema schema);

        /// <summary>The connection the command line would use: its -Connection, else the session.</summary>
        internal static Bitrix24Connection ConnectionFrom(IDictionary fakeBoundParameters)
        {
            var connection = (fakeBoundParameters?["Connection"] as PSObject)?.BaseObject as Bitrix24Connection
                             ?? fakeBoundParameters?["Connection"] as Bitrix24Connection
                             ?? SessionStore.Current;
            return connection == null || connection.IsClosed ? null : connection;
        }

        private static LeadSchema Schema(IDictionary fakeBoundParameters)
        {
            var connection = ConnectionFrom(fakeBoundParameters);
            if (connection == null) return null;
            var cached = LeadSchema.Cached(connection.Client);
            if (cached != null) return cached;
            try
            {
                using (var timeout = new CancellationTokenSource(LoadTimeout))
                    return LeadSchema.GetAsync(connection.Client, timeout.Token, null).GetAwaiter().GetResult();
            }
            catch (Exception)
            {
                return null;   // offline or refused: completion just offers nothing
            }
        }
    }

    /// <summary>Stages (STATUS_ID).</summary>
    public sealed class StatusIdCompleter : SchemaCompleter
    {
        protected override IEnumerable<(string, string)> Candidates(LeadSchema schema) =>
            schema.Directory("STATUS").Select(d => (d.StatusId, d.Name));
    }

    /// <summary>Sources (SOURCE_ID).</summary>
    public sealed class SourceIdCompleter : SchemaCompleter
    {
        protected override IEnumerable<(string, string)> Candidates(LeadSchema schema) =>
            schema.Directory("SOURCE").Select(d => (d.StatusId, d.Name));
    }

    /// <summary>Currencies (CURRENCY_ID).</summary>
    public sealed class CurrencyIdCompleter : SchemaCompleter
    {
        protected override IEnumerable<(string, string)> Candidates(LeadSchema schema) =>
            schema.Directory("CURRENCY").Select(d => (d.StatusId, d.Name));
    }

    /// <summary>Salutations (HONORIFIC).</summary>
    public sealed class HonorificCompleter : SchemaCompleter
    {
        protected override IEnumerable<(string, string)> Candidates(LeadSchema schema) =>
            schema.Directory("HONORIFIC").Select(d => (d.StatusId, d.Name));
    }

    /// <summary>Lead field names (API names, custom fields included), plus * and UF_*.</summary>
    public sealed class LeadFieldNameCompleter : SchemaCompleter
    {
        protected override IEnumerable<(string, string)> Candidates(LeadSchema schema) =>
            new[] { ("*", "all standard fields"), ("UF_*", "all custom fields") }
                .Concat(schema.Fields.OrderBy(f => f.IsCustom).ThenBy(f => f.Name, StringComparer.Ordinal)
                              .Select(f => (f.Name, $"{f.Title} ({f.Type})")));
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
                        var answer = connection.Client.CallAsync("user.get", new JObject(), timeout.Token).GetAwaiter().GetResult();
                        users = (answer.Result as JArray ?? new JArray()).OfType<JObject>()
                            .Select(u => ((string)u["ID"], string.Join(" ", new[] { (string)u["NAME"], (string)u["LAST_NAME"] }.Where(n => !string.IsNullOrEmpty(n)))))
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

    /// <summary>Directory names for Get-B24Status (ArgumentCompletions is not in Windows PowerShell 5.1).</summary>
    public sealed class EntityIdCompleter : IArgumentCompleter
    {
        private static readonly (string Id, string Tip)[] Known =
        {
            ("STATUS", "lead stages"), ("SOURCE", "lead sources"), ("HONORIFIC", "salutations"), ("CURRENCY", "currencies"),
            ("DEAL_STAGE", "deal stages"), ("DEAL_TYPE", "deal types"), ("CONTACT_TYPE", "contact types"),
            ("COMPANY_TYPE", "company types"), ("INDUSTRY", "industries"),
        };

        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
                                                              CommandAst commandAst, IDictionary fakeBoundParameters) =>
            Known.Where(k => k.Id.StartsWith((wordToComplete ?? "").Trim('\'', '"'), StringComparison.OrdinalIgnoreCase))
                 .Select(k => new CompletionResult(k.Id, k.Id, CompletionResultType.ParameterValue, k.Tip));
    }
}
