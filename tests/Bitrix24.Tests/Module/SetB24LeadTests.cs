using System.Linq;
using System.Management.Automation;
using Bitrix24.Tests.Infrastructure;
using Newtonsoft.Json.Linq;
using Xunit;

namespace Bitrix24.Tests.Module
{
    public sealed class SetB24LeadTests : ModuleTest
    {
        private const string DocumentedBody =
            "{\"id\":1608,\"fields\":{\"TITLE\":\"IP Titov\",\"NAME\":\"Gleb\",\"SECOND_NAME\":\"Yegorovich\",\"LAST_NAME\":\"Titov\",\"STATUS_ID\":\"NEW\",\"OPENED\":\"Y\",\"ASSIGNED_BY_ID\":1,\"CURRENCY_ID\":\"USD\",\"OPPORTUNITY\":12500,\"PHONE\":[{\"VALUE\":\"555888\",\"VALUE_TYPE\":\"WORK\"}],\"WEB\":[{\"VALUE\":\"www.mysite.com\",\"VALUE_TYPE\":\"WORK\"}]},\"params\":{\"REGISTER_SONET_EVENT\":\"Y\"}}";

        private const string DocumentedCommand = @"
Set-B24Lead -Id 1608 -Title 'IP Titov' -Name Gleb -SecondName Yegorovich -LastName Titov `
    -StatusId NEW -Opened -AssignedById 1 -CurrencyId USD -Opportunity 12500 `
    -Phone @{VALUE='555888'; VALUE_TYPE='WORK'} -Web @{VALUE='www.mysite.com'; VALUE_TYPE='WORK'} `
    -RegisterSonetEvent";

        [Fact]
        public void DocumentedExampleSendsTheDocumentedBodyByteForByte()
        {
            Portal.SkipLeadIdsTo(1608);
            Assert.Equal(1608, AddLead("old title", new { OPENED = "N", STATUS_ID = "JUNK" }));

            RunOk(DocumentedCommand);

            // One plain crm.lead.update (no batch). The lead is read first only because the example adds
            // a phone and a web site: values the lead already has are not added twice.
            var update = Assert.Single(Updates);
            Assert.Equal(new[] { "crm.lead.get", "crm.lead.update" }, Portal.Calls.Select(c => c.Method));
            Assert.False(update.ViaBatch);
            Assert.Equal(DocumentedBody, update.RawBody);
            var lead = Portal.GetLead(1608);
            Assert.Equal("IP Titov", (string)lead["TITLE"]);
            Assert.Equal("Y", (string)lead["OPENED"]);
            Assert.Equal("12500.00", (string)lead["OPPORTUNITY"]);
            Assert.Equal("555888", (string)lead["PHONE"][0]["VALUE"]);
            Assert.Equal("www.mysite.com", (string)lead["WEB"][0]["VALUE"]);
        }

        [Fact]
        public void OnlyTheGivenParametersAreSent()
        {
            var id = AddLead("before", new { NAME = "Keep", COMMENTS = "keep me" });

            RunOk($"Set-B24Lead -Id {id} -Title after");

            var body = JObject.Parse(Assert.Single(Updates).RawBody);
            Assert.Equal(new JObject { ["id"] = id, ["fields"] = new JObject { ["TITLE"] = "after" } }.ToString(), body.ToString());
            Assert.Equal("Keep", (string)Portal.GetLead(id)["NAME"]);
            Assert.Equal("keep me", (string)Portal.GetLead(id)["COMMENTS"]);
        }

        [Fact]
        public void SwitchFalseSendsNAndDatesGoAsDates()
        {
            var id = AddLead("x", new { OPENED = "Y" });

            RunOk($"Set-B24Lead -Id {id} -Opened:$false -Birthdate ([datetime]'1980-01-31') -Opportunity 99.90");

            var fields = (JObject)JObject.Parse(Assert.Single(Updates).RawBody)["fields"];
            Assert.Equal("N", (string)fields["OPENED"]);
            Assert.Equal("1980-01-31", (string)fields["BIRTHDATE"]);
            Assert.Equal(99.90m, (decimal)fields["OPPORTUNITY"]);
            Assert.Equal("N", (string)Portal.GetLead(id)["OPENED"]);
            Assert.StartsWith("1980-01-31", (string)Portal.GetLead(id)["BIRTHDATE"]);
        }

        [Fact]
        public void WhatIfSendsNothingAndChangesNothing()
        {
            var id = AddLead("unchanged");

            var result = RunOk($"Set-B24Lead -Id {id} -Title changed -StatusId JUNK -WhatIf");

            Assert.Empty(Writes);
            Assert.Equal("unchanged", (string)Portal.GetLead(id)["TITLE"]);
            Assert.Empty(result.Output);
            var shown = Shell.TakeHostText();
            Assert.Contains($"on target \"Lead {id}\"", shown);
            Assert.Contains("TITLE = 'unchanged' -> 'changed'", shown);
            Assert.Contains("STATUS_ID = 'NEW' -> 'JUNK'", shown);
        }

        [Fact]
        public void PassThruWritesTheLeadAsReadBackWithTypedValues()
        {
            var id = AddLead("t");

            var result = RunOk($"Set-B24Lead -Id {id} -Title 'read back' -Opportunity 1500 -Opened -PassThru");

            var lead = Assert.Single(result.Output);
            Assert.Equal("Bitrix24.Lead", lead.TypeNames[0]);
            Assert.Equal(id, lead.Properties["ID"].Value);
            Assert.Equal("read back", lead.Properties["TITLE"].Value);
            Assert.Equal(1500m, lead.Properties["OPPORTUNITY"].Value);
            Assert.Equal(true, lead.Properties["OPENED"].Value);
        }

        [Fact]
        public void VerboseShowsTheMethodAndTheFieldsSentButNotTheSecret()
        {
            var id = AddLead("t");

            var result = RunOk($"Set-B24Lead -Id {id} -Title 'verbose title' -Verbose");

            Assert.Contains(result.Verbose, v => v.Contains("crm.lead.update") && v.Contains("\"TITLE\":\"verbose title\""));
            Assert.DoesNotContain(Secret, result.AllText());
        }

        [Fact]
        public void CustomFieldsGoThroughFieldsAndUnknownNamesAreRefusedBeforeSending()
        {
            var id = AddLead("t");

            RunOk($"Set-B24Lead -Id {id} -Fields @{{ UF_CRM_SCORE = 9 }}");
            Assert.Equal("9", (string)Portal.GetLead(id)["UF_CRM_SCORE"]);
            Portal.ClearLog();

            var result = Run($"Set-B24Lead -Id {id} -Fields @{{ STATUS = 'NEW' }}");

            var error = Assert.Single(result.Errors);
            Assert.Equal("Bitrix24.InvalidField,Bitrix24.PowerShell.Cmdlets.SetB24LeadCommand", error.FullyQualifiedErrorId);
            Assert.Equal(ErrorCategory.InvalidArgument, error.CategoryInfo.Category);
            Assert.Contains("STATUS", error.Exception.Message);
            Assert.Contains("Did you mean STATUS_ID", error.Exception.Message);
            Assert.Contains($"Lead {id}", error.Exception.Message);
            Assert.Empty(Writes);
        }

        [Fact]
        public void ACarelessBareIdInAPhoneIsRefusedInsteadOfWipingThePhone()
        {
            var id = AddLead("t", new { PHONE = new[] { new { VALUE = "111", VALUE_TYPE = "WORK" } } });
            var phoneId = (string)Portal.GetLead(id)["PHONE"][0]["ID"];

            var result = Run($"Set-B24Lead -Id {id} -Phone @{{ ID = {phoneId} }}");

            Assert.Contains("DELETE='Y'", Assert.Single(result.Errors).Exception.Message);
            Assert.Empty(Writes);
            Assert.Equal("111", (string)Portal.GetLead(id)["PHONE"][0]["VALUE"]);
        }

        [Fact]
        public void AMissingLeadIsObjectNotFoundWithTheLeadAsTarget()
        {
            var result = Run("Set-B24Lead -Id 99999 -Title x");

            var error = Assert.Single(result.Errors);
            Assert.Equal(ErrorCategory.ObjectNotFound, error.CategoryInfo.Category);
            Assert.StartsWith("Bitrix24.NotFound,", error.FullyQualifiedErrorId);
            Assert.Equal(99999, error.TargetObject);
            Assert.Equal("Lead is not found", error.ErrorDetails.Message);
        }

        [Fact]
        public void AccessDeniedIsPermissionDenied()
        {
            var id = AddLead("secret lead");
            Portal.ForbidLead(id);

            var error = Assert.Single(Run($"Set-B24Lead -Id {id} -Title x").Errors);

            Assert.Equal(ErrorCategory.PermissionDenied, error.CategoryInfo.Category);
            Assert.StartsWith("Bitrix24.AccessDenied,", error.FullyQualifiedErrorId);
        }

        [Fact]
        public void OneFailedLeadDoesNotStopTheOthers()
        {
            var first = AddLead("a");
            var second = AddLead("b");

            var result = Run($"Set-B24Lead -Id {first},99999,{second} -Comments done");

            Assert.Equal(99999, Assert.Single(result.Errors).TargetObject);
            Assert.Equal("done", (string)Portal.GetLead(first)["COMMENTS"]);
            Assert.Equal("done", (string)Portal.GetLead(second)["COMMENTS"]);
        }

        [Fact]
        public void NothingToChangeIsAClearErrorAndSendsNothing()
        {
            var id = AddLead("t");

            var error = Assert.Single(Run($"Set-B24Lead -Id {id}").Errors);

            Assert.Contains("nothing to change", error.Exception.Message);
            Assert.Empty(Writes);
        }
    }
}
