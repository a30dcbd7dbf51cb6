using System;
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
    }
}
