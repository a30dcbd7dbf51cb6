using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Bitrix24.Rest.Transport;
using Newtonsoft.Json.Linq;

namespace Bitrix24.Rest.Crm.Leads
{
    /// <summary>The lead methods, typed: crm.lead.get and crm.lead.update.</summary>
    public sealed class LeadsClient
    {
        private readonly Bitrix24Client _client;

        public LeadsClient(Bitrix24Client client) => _client = client;

        /// <summary>Sends one patch as one plain crm.lead.update call.</summary>
        public async Task UpdateAsync(LeadPatch patch, CancellationToken cancellation, Action<string> log = null)
        {
            var response = await _client.CallAsync("crm.lead.update", patch.ToParameters(), cancellation, log).ConfigureAwait(false);
            if (response.Result == null || response.Result.Type != JTokenType.Boolean || !(bool)response.Result)
                throw new Bitrix24Exception("crm.lead.update", "", $"Lead {patch.Id} was not updated: the portal answered {response.Result}.", 200);
        }

        /// <summary>Reads one lead with crm.lead.get.</summary>
        public async Task<LeadSnapshot> GetAsync(int id, CancellationToken cancellation, Action<string> log = null)
        {
            var response = await _client.CallAsync("crm.lead.get", new JObject { ["id"] = id }, cancellation, log).ConfigureAwait(false);
            if (!(response.Result is JObject fields))
                throw new Bitrix24Exception("crm.lead.get", "INVALID_RESPONSE", $"Lead {id}: the portal answered without the lead's fields.", 200);
            return new LeadSnapshot(fields);
        }

        /// <summary>Reads the named fields of one lead (crm.lead.list by ID: crm.lead.get has no select).</summary>
        public async Task<LeadSnapshot> GetAsync(int id, IEnumerable<string> select, CancellationToken cancellation, Action<string> log = null)
        {
            var query = new LeadListQuery { Filter = new JObject { ["=ID"] = id }, Select = select.ToList() };
            var parameters = new JObject { ["filter"] = query.Filter, ["select"] = query.SelectWithId(), ["start"] = -1 };
            var response = await _client.CallAsync("crm.lead.list", parameters, cancellation, log).ConfigureAwait(false);
            if (!(response.Result is JArray rows) || rows.Count == 0 || !(rows[0] is JObject fields))
                throw new Bitrix24Exception("crm.lead.list", "", "Not found", 400);
            return new LeadSnapshot(fields);
        }
    }
}