using System.Linq;
using Bitrix24.Tests.Infrastructure;
using Newtonsoft.Json.Linq;
using Xunit;

namespace Bitrix24.Tests.Module
{
    public sealed class InvokeB24MethodTests : ModuleTest
    {
        [Fact]
        public void CallsAnyMethodAndWritesItsResult()
        {
            var result = RunOk("Invoke-B24Method crm.status.list @{ filter = @{ ENTITY_ID = 'STATUS' } }");

            var ids = result.Output.Select(o => o.Properties["STATUS_ID"].Value.ToString()).ToList();
            Assert.Equal(new[] { "NEW", "IN_PROCESS", "PROCESSED", "JUNK", "CONVERTED" }, ids);
            var call = Assert.Single(Portal.CallsTo("crm.status.list"));
            Assert.Equal("STATUS", (string)call.Parameters["filter"]["ENTITY_ID"]);
        }

        [Fact]
        public void NestedParametersTravelAsJson()
        {
            var id = AddLead("t");

            var result = RunOk($"Invoke-B24Method -Method crm.lead.update -Parameters @{{ id = {id}; fields = @{{ PHONE = @(@{{ VALUE = '+7 900'; VALUE_TYPE = 'MOBILE' }}) }} }}");

            Assert.Equal(true, Assert.Single(result.Output).BaseObject);
            var phone = (JObject)Portal.GetLead(id)["PHONE"][0];
            Assert.Equal("+7 900", (string)phone["VALUE"]);
            Assert.Equal("MOBILE", (string)phone["VALUE_TYPE"]);
        }

        [Fact]
        public void RawWritesTheEnvelopeWithTotalAndTime()
        {
            AddLead("a"); AddLead("b");

            var envelope = Assert.Single(RunOk("Invoke-B24Method crm.lead.list @{ select = @('ID') } -Raw").Output);

            Assert.Equal(2L, System.Convert.ToInt64(envelope.Properties["total"].Value));
            Assert.NotNull(envelope.Properties["time"].Value);
        }
    }
}
