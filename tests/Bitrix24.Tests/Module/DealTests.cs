using System.Linq;
using Bitrix24.Tests.Infrastructure;
using Newtonsoft.Json.Linq;
using Xunit;

namespace Bitrix24.Tests.Module
{
    /// <summary>What deals have beyond the engine: pipelines and their stages, moves between pipelines,
    /// product rows; and the links between contacts and companies.</summary>
    [Collection(SerialCollection.Name)]
    public sealed class DealTests : ModuleTest
    {
        private int AddDeal(int pipeline = 0, string stage = null) =>
            Portal.AddRecord("deal", new JObject { ["TITLE"] = "deal", ["CATEGORY_ID"] = pipeline.ToString(), ["STAGE_ID"] = stage ?? (pipeline == 0 ? "NEW" : $"C{pipeline}:NEW") });

        [Fact]
        public void AStageOfAnotherPipelineIsRefusedNamingThePipelineAndItsStages()
        {
            var id = AddDeal(pipeline: 1);
            Portal.ClearLog();

            var error = Assert.Single(Run($"Set-B24Deal -Id {id} -StageId WON").Errors);

            Assert.Contains("pipeline 1 (Wholesale)", error.Exception.Message);
            Assert.Contains("C1:NEW, C1:PREPARATION, C1:EXECUTING, C1:WON, C1:LOSE", error.Exception.Message);
            Assert.Contains("-CategoryId", error.Exception.Message);
            Assert.Empty(Portal.CallsTo("crm.deal.update"));
            Assert.Equal("C1:NEW", (string)Portal.GetRecord("deal", id)["STAGE_ID"]);
        }

        [Fact]
        public void WhatIfReportsTheStageTheRealRunWouldRefuseInsteadOfShowingAnUpdate()
        {
            var inWholesale = AddDeal(pipeline: 1);
            var inDefault = AddDeal();
            Portal.ClearLog();

            var result = Run($"Set-B24Deal -Id {inWholesale}, {inDefault} -StageId WON -WhatIf");

            Assert.Equal(inWholesale, (int)Assert.Single(result.Errors).TargetObject);
            var shown = Shell.TakeHostText();
            Assert.DoesNotContain($"Deal {inWholesale}\"", shown);
            Assert.Contains($"on target \"Deal {inDefault}\"", shown);
            Assert.Empty(Portal.CallsTo("crm.deal.update"));
        }

        [Fact]
        public void APipedDealIsCheckedAgainstItsOwnPipelineWithoutReadingIt()
        {
            var inDefault = AddDeal();
            var inWholesale = AddDeal(pipeline: 1);
            Portal.ClearLog();

            var result = Run($"Get-B24Deal -Id {inDefault}, {inWholesale} | ForEach-Object {{ $_.STAGE_ID = 'PREPARATION'; $_ }} | Set-B24Deal");

            Assert.Equal(inWholesale, (int)Assert.Single(result.Errors).TargetObject);
            Assert.Equal("PREPARATION", (string)Portal.GetRecord("deal", inDefault)["STAGE_ID"]);
            Assert.Equal("C1:NEW", (string)Portal.GetRecord("deal", inWholesale)["STAGE_ID"]);
        }

        [Fact]
        public void MovingToAnotherPipelineGoesAsCrmItemUpdateAsTheDocsSay()
        {
            var id = AddDeal();
            Portal.ClearLog();

            RunOk($"Set-B24Deal -Id {id} -CategoryId 1 -StageId C1:PREPARATION -Title 'moved'");

            var update = Assert.Single(Portal.CallsTo("crm.item.update"));
            Assert.Equal(2, (int)update.Parameters["entityTypeId"]);
            Assert.Equal("1", update.Parameters["fields"]["categoryId"].ToString());
            Assert.Empty(Portal.CallsTo("crm.deal.update"));
            var deal = Portal.GetRecord("deal", id);
            Assert.Equal("1", (string)deal["CATEGORY_ID"]);
            Assert.Equal("C1:PREPARATION", (string)deal["STAGE_ID"]);
            Assert.Equal("moved", (string)deal["TITLE"]);
        }

        [Fact]
        public void AStageThatIsNotInTheNewPipelineOrAPipelineThePortalLacksIsRefused()
        {
            var id = AddDeal();
            Portal.ClearLog();

            var wrongStage = Assert.Single(Run($"Set-B24Deal -Id {id} -CategoryId 1 -StageId WON").Errors);
            var noPipeline = Assert.Single(Run($"Set-B24Deal -Id {id} -CategoryId 9").Errors);

            Assert.Contains("not a stage of pipeline 1", wrongStage.Exception.Message);
            Assert.Contains("'9' is not a pipeline of this portal", noPipeline.Exception.Message);
            Assert.Empty(Writes.Concat(Portal.CallsTo("crm.deal.update")));
        }

        [Fact]
        public void PipelinesAreListedWithTheirStages()
        {
            var pipelines = RunOk("Get-B24DealPipeline").Output;

            Assert.Equal(new[] { 0, 1 }, pipelines.Select(p => (int)p.Properties["Id"].Value));
            var stages = (object[])pipelines[1].Properties["Stages"].Value;
            Assert.Equal("C1:NEW", stages.Cast<Bitrix24.Rest.Crm.DirectoryEntry>().First().StatusId);
        }

        [Fact]
        public void ProductRowsAreReplacedWholeAndWhatIfShowsOldAndNew()
        {
            var id = AddDeal();
            RunOk($"Set-B24DealProductRow -Id {id} -Row @{{ PRODUCT_NAME = 'Chair'; PRICE = 150; QUANTITY = 2 }}");
            Portal.ClearLog();

            var preview = RunOk($"Set-B24DealProductRow -Id {id} -Row @{{ PRODUCT_NAME = 'Desk'; PRICE = 400 }} -WhatIf");
            Assert.Empty(Portal.CallsTo("crm.deal.productrows.set"));
            Assert.Contains("Chair x 2 @ 150.00 -> Desk x 1 @ 400.00", Shell.TakeHostText());

            var rows = RunOk($"Set-B24DealProductRow -Id {id} -Row @{{ PRODUCT_NAME = 'Desk'; PRICE = 400 }} -PassThru").Output;
            Assert.Equal("Desk", Assert.Single(rows).Properties["PRODUCT_NAME"].Value);
            Assert.Equal("400.00", (string)Portal.GetRecord("deal", id)["OPPORTUNITY"]);

            var bad = Assert.Single(Run($"Set-B24DealProductRow -Id {id} -Row @{{ PRODUCT_NAME = 'X'; PRISE = 1 }}").Errors);
            Assert.Contains("Did you mean PRICE", bad.Exception.Message);
        }

        [Fact]
        public void DealContactsAndContactCompaniesAreLinkedWithTheirOwnMethods()
        {
            var deal = AddDeal();
            var company = Portal.AddRecord("company", new JObject { ["TITLE"] = "Acme" });
            var contact = Portal.AddRecord("contact", new JObject { ["NAME"] = "Anna" });
            Portal.ClearLog();

            var dealContacts = RunOk($"Set-B24DealContact -Id {deal} -ContactId {contact} -PassThru").Output;
            var contactCompanies = RunOk($"Set-B24ContactCompany -Id {contact} -CompanyId {company} -PassThru").Output;

            Assert.Equal(contact, (int)Assert.Single(dealContacts).Properties["ContactId"].Value);
            Assert.Equal("Bitrix24.ContactCompany", Assert.Single(contactCompanies).TypeNames[0]);
            Assert.Single(Portal.CallsTo("crm.deal.contact.items.set"));
            Assert.Single(Portal.CallsTo("crm.contact.company.items.set"));
            Assert.Equal(new JArray(company.ToString()).ToString(), Portal.GetRecord("contact", contact)["COMPANY_IDS"].ToString());
        }

        // crm.contact.company.items.* and crm.company.contact.items.* describe one relation from its two sides.
        [Fact]
        public void ContactsOfACompanyAndCompaniesOfAContactAreOneRelationWithItsPrimary()
        {
            var company = Portal.AddRecord("company", new JObject { ["TITLE"] = "Acme" });
            var other = Portal.AddRecord("company", new JObject { ["TITLE"] = "Globex" });
            var anna = Portal.AddRecord("contact", new JObject { ["NAME"] = "Anna" });
            var boris = Portal.AddRecord("contact", new JObject { ["NAME"] = "Boris", ["COMPANY_IDS"] = new JArray(other) });

            RunOk($"Set-B24CompanyContact -Id {company} -ContactId {anna}, {boris} -PrimaryContactId {boris}");
            var ofCompany = RunOk($"Get-B24CompanyContact -Id {company}").Output;
            var ofBoris = RunOk($"Get-B24ContactCompany -Id {boris}").Output;
            RunOk($"Set-B24ContactCompany -Id {anna} -CompanyId @()");
            var afterUnlink = RunOk($"Get-B24CompanyContact -Id {company}").Output;

            Assert.Equal(new[] { anna, boris }, ofCompany.Select(o => (int)o.Properties["ContactId"].Value));
            Assert.Equal(new[] { false, true }, ofCompany.Select(o => (bool)o.Properties["IsPrimary"].Value));
            Assert.Equal(new[] { company, other }.OrderBy(i => i), ofBoris.Select(o => (int)o.Properties["CompanyId"].Value).OrderBy(i => i));
            Assert.Equal(new[] { boris }, afterUnlink.Select(o => (int)o.Properties["ContactId"].Value));
        }

        [Fact]
        public void ACompanyIsMarkedAsThePortalsOwnOnEitherRoute()
        {
            // IS_MY_COMPANY, a writable char field of crm-company-fields.md; crm.item names it isMyCompany.
            var company = Portal.AddRecord("company", new JObject { ["TITLE"] = "Our office" });
            Portal.ClearLog();

            RunOk($"Set-B24Company -Id {company} -IsMyCompany -WhatIf");
            var whatIf = Shell.TakeHostText();
            RunOk($"Set-B24Company -Id {company} -IsMyCompany");

            Assert.Contains("IS_MY_COMPANY = 'N' -> 'Y'", whatIf);
            Assert.Equal("Y", (string)Assert.Single(Portal.CallsTo("crm.company.update")).Parameters["fields"]["IS_MY_COMPANY"]);
            Assert.Equal("Y", (string)Portal.GetRecord("company", company)["IS_MY_COMPANY"]);

            RunOk($"Connect-Bitrix24 -WebhookUrl '{Server.WebhookUrl}' -Api Item; Set-B24Company -Id {company} -IsMyCompany:$false");
            Assert.Equal("N", (string)Assert.Single(Portal.CallsTo("crm.item.update")).Parameters["fields"]["isMyCompany"]);
            Assert.Equal("N", (string)Portal.GetRecord("company", company)["IS_MY_COMPANY"]);
        }

        [Fact]
        public void ContactAndCompanyDirectoriesAreCheckedLikeLeadStatuses()
        {
            var company = Portal.AddRecord("company", new JObject { ["TITLE"] = "Acme" });
            Portal.ClearLog();

            var error = Assert.Single(Run($"Set-B24Company -Id {company} -Industry SPACE").Errors);

            Assert.Contains("IT, TELECOM", error.Exception.Message);
            Assert.Empty(Portal.CallsTo("crm.company.update"));
            Assert.Contains(RunOk("Get-B24Status -EntityId INDUSTRY").Output, o => o.Properties["StatusId"].Value.ToString() == "IT");
        }
    }
}
