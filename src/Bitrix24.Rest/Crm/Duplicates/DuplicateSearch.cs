using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Bitrix24.Rest.Transport;
using Newtonsoft.Json.Linq;

namespace Bitrix24.Rest.Crm
{
    /// <summary>The leads, contacts and companies that hold one phone number or e-mail address.</summary>
    public sealed class DuplicateMatch
    {
        internal DuplicateMatch(string type, string value, IReadOnlyList<int> leadIds, IReadOnlyList<int> contactIds, IReadOnlyList<int> companyIds)
        {
            Type = type;
            Value = value;
            LeadIds = leadIds;
            ContactIds = contactIds;
            CompanyIds = companyIds;
        }

        /// <summary>PHONE or EMAIL.</summary>
        public string Type { get; }
        public string Value { get; }
        public IReadOnlyList<int> LeadIds { get; }
        public IReadOnlyList<int> ContactIds { get; }
        public IReadOnlyList<int> CompanyIds { get; }
        public bool Found => LeadIds.Count + ContactIds.Count + CompanyIds.Count > 0;
        public override string ToString() => $"{Type} {Value}: {(Found ? string.Join(", ", Describe()) : "no record")}";

        private IEnumerable<string> Describe()
        {
            if (LeadIds.Count > 0) yield return "lead " + string.Join(", ", LeadIds);
            if (ContactIds.Count > 0) yield return "contact " + string.Join(", ", ContactIds);
            if (CompanyIds.Count > 0) yield return "company " + string.Join(", ", CompanyIds);
        }
    }

    /// <summary>
    /// crm.duplicate.findbycomm (crm/duplicates/crm-duplicate-find-by-comm.md): the ids of the leads, contacts and
    /// companies holding a phone or e-mail. The method answers by entity type, not by value, so each value is asked
    /// for in a command of its own, 50 commands to a batch request: 100 values take 2 requests.
    /// </summary>
    public sealed class DuplicateSearch
    {
        public static readonly IReadOnlyList<string> EntityTypes = new[] { "LEAD", "CONTACT", "COMPANY" };
        private readonly Bitrix24Client _client;

        public DuplicateSearch(Bitrix24Client client) => _client = client;

        /// <summary>The matches of each value (PHONE or EMAIL), in the order given, each value once; only
        /// <paramref name="entityTypes"/> when given (LEAD, CONTACT, COMPANY).</summary>
        public async Task<IList<DuplicateMatch>> FindAsync(IEnumerable<(string Type, string Value)> values, IList<string> entityTypes,
                                                          CancellationToken cancellation, Action<string> log = null)
        {
            var wanted = values.Where(v => !string.IsNullOrWhiteSpace(v.Value))
                               .Select(v => (Type: v.Type.ToUpperInvariant(), Value: v.Value.Trim()))
                               .Distinct().ToList();
            var types = entityTypes == null || entityTypes.Count == 0 ? new string[] { null } : entityTypes.Select(t => t.ToUpperInvariant()).ToArray();
            var commands = wanted.SelectMany(v => types.Select(t => (v.Type, v.Value, Entity: t))).ToList();
            var answers = await _client.CallEachAsync("crm.duplicate.findbycomm", commands.Select(c =>
            {
                var parameters = new JObject { ["type"] = c.Type, ["values"] = new JArray(c.Value) };
                if (c.Entity != null) parameters["entity_type"] = c.Entity;
                return parameters;
            }), cancellation, log).ConfigureAwait(false);
            return wanted.Select(v =>
            {
                var found = commands.Select((c, i) => (c, i)).Where(x => x.c.Type == v.Type && x.c.Value == v.Value).Select(x => answers[x.i] as JObject).ToList();
                IReadOnlyList<int> Ids(string type) => found.Where(f => f != null).SelectMany(f => f[type] as JArray ?? new JArray())
                                                             .Select(id => (int)id).Distinct().OrderBy(id => id).ToList();
                return new DuplicateMatch(v.Type, v.Value, Ids("LEAD"), Ids("CONTACT"), Ids("COMPANY"));
            }).ToList();
        }
    }
}
