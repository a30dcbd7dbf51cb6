using System;
using System.IO;
using System.Linq;
using Bitrix24.Tests.Infrastructure;
using Newtonsoft.Json.Linq;
using Xunit;

namespace Bitrix24.Tests.Module
{
    /// <summary>
    /// What a portal that answers as the REST docs say asks of the module, each test naming the page (inside
    /// bitrix24/b24restdocs api-reference/). Each of these failed against the module before it read the docs'
    /// field flags, file formats, product-row keys, crm.item select rules and user paging.
    /// </summary>
    [Collection(SerialCollection.Name)]
    public sealed class DocumentedPortalTests : ModuleTest
    {
        private int AddDeal(int pipeline = 0) =>
            Portal.AddRecord("deal", new JObject { ["TITLE"] = "deal", ["CATEGORY_ID"] = pipeline.ToString(), ["STAGE_ID"] = pipeline == 0 ? "NEW" : $"C{pipeline}:NEW" });

        // crm/deals/crm-deal-fields.md: CATEGORY_ID isImmutable (set on add); crm-deal-update.md: move with crm.item.update.
        [Fact]
        public void ADealIsCreatedInAPipelineAndMovedToAnotherDespiteItsImmutableFlag()
        {
            Assert.True(RunOk("(Get-B24DealField CATEGORY_ID).IsImmutable").Output.Single().BaseObject is true);
            var other = AddDeal();
            Portal.ClearLog();

            var created = RunOk("New-B24Deal -Title 'In wholesale' -CategoryId 1 -StageId C1:PREPARATION").Output.Single();
            RunOk($"Set-B24Deal -Id {other} -CategoryId 1 -StageId C1:EXECUTING");

            Assert.Equal("1", (string)Assert.Single(Portal.CallsTo("crm.deal.add")).Parameters["fields"]["CATEGORY_ID"]);
            var id = (int)created.Properties["ID"].Value;
            Assert.Equal("C1:PREPARATION", (string)Portal.GetRecord("deal", id)["STAGE_ID"]);
            Assert.Equal(1, (int)created.Properties["CATEGORY_ID"].Value);
            Assert.Equal("C1:EXECUTING", (string)Portal.GetRecord("deal", other)["STAGE_ID"]);
            Assert.Equal("1", (string)Portal.GetRecord("deal", other)["CATEGORY_ID"]);
            Assert.Empty(Portal.CallsTo("crm.deal.update"));
        }

        // isImmutable in any descriptor: taken by add, so refused on update (it would be ignored), named with the record.
        [Fact]
        public void AnotherImmutableFieldIsTakenOnAddAndRefusedOnUpdate()
        {
            Portal.SetFieldFlags("deal", "UF_CRM_DEAL_PRIORITY", immutable: true);
            Connect();   // a new connection reads the schema again
            var deal = AddDeal();
            Portal.ClearLog();

            var refused = Assert.Single(Run($"Set-B24Deal -Id {deal} -Fields @{{ UF_CRM_DEAL_PRIORITY = 'High' }}").Errors);
            RunOk("New-B24Deal -Title 'Priority deal' -Fields @{ UF_CRM_DEAL_PRIORITY = 'High' }");

            Assert.Contains($"Deal {deal}", refused.Exception.Message);
            Assert.Contains("UF_CRM_DEAL_PRIORITY", refused.Exception.Message);
            Assert.Contains("only when the deal is created", refused.Exception.Message);
            Assert.Empty(Portal.CallsTo("crm.deal.update"));
            Assert.Equal("3", (string)Assert.Single(Portal.CallsTo("crm.deal.add")).Parameters["fields"]["UF_CRM_DEAL_PRIORITY"]);
        }

        // files/how-to-upload-files.md: crm.contact.add/update take {fileData: [name, base64]}; crm.item.* takes [name, base64].
        [Fact]
        public void APhotoIsUploadedFromARelativePathAndReadBackAsAFile()
        {
            var folder = Directory.CreateTempSubdirectory("b24photo").FullName;
            try
            {
                var bytes = new byte[] { 0x89, 0x50, 0x4E, 0x47, 1, 2, 3, 4, 5 };
                File.WriteAllBytes(Path.Combine(folder, "face.png"), bytes);
                Portal.ClearLog();

                var preview = RunOk($"$null = $ExecutionContext.SessionState.Path.SetLocation('{folder}'); New-B24Contact -Name Anna -Photo ./face.png -WhatIf");
                var contact = RunOk("New-B24Contact -Name Anna -Photo ./face.png").Output.Single();

                Assert.Contains("PHOTO = new file 'face.png'", Shell.TakeHostText());
                var sent = Assert.Single(Portal.CallsTo("crm.contact.add")).Parameters["fields"]["PHOTO"];
                Assert.Equal(new JObject { ["fileData"] = new JArray("face.png", Convert.ToBase64String(bytes)) }.ToString(), sent.ToString());
                var photo = (Bitrix24.Rest.Crm.CrmFile)contact.Properties["PHOTO"].Value;
                Assert.Equal(bytes, Portal.Files[photo.Id].Content);
                Assert.Contains("fileId=" + photo.Id, photo.DownloadUrl);

                // Piped back unchanged: the photo is no change; on crm.item the new logo goes as [name, base64].
                Portal.ClearLog();
                RunOk("$c = Get-B24Contact -Id " + contact.Properties["ID"].Value + "; $c.POST = 'CEO'; $c | Set-B24Contact");
                Assert.Equal(new JObject { ["POST"] = "CEO" }.ToString(), Assert.Single(Portal.CallsTo("crm.contact.update")).Parameters["fields"].ToString());
                var company = Portal.AddRecord("company", new JObject { ["TITLE"] = "Acme" });
                RunOk($"Connect-Bitrix24 -WebhookUrl '{Server.WebhookUrl}' -Api Item; Set-B24Company -Id {company} -Logo ([IO.FileInfo]::new('{folder}/face.png'))");
                var logo = Assert.Single(Portal.CallsTo("crm.item.update")).Parameters["fields"]["logo"];
                Assert.Equal(new JArray("face.png", Convert.ToBase64String(bytes)).ToString(), logo.ToString());
                Assert.NotNull(Bitrix24.Rest.Crm.CrmFile.Read(Portal.GetRecord("company", company)["LOGO"]));
            }
            finally
            {
                RunOk("$null = $ExecutionContext.SessionState.Path.SetLocation('/')");
                Directory.Delete(folder, recursive: true);
            }
        }

        [Fact]
        public void AFileIsSavedToDiskUnderThePortalsNameAndAnOlderCopyIsKeptUnlessForced()
        {
            var folder = Directory.CreateTempSubdirectory("b24save").FullName;
            try
            {
                var bytes = Enumerable.Range(0, 300).Select(i => (byte)i).ToArray();
                File.WriteAllBytes(Path.Combine(folder, "logo.png"), bytes);
                RunOk($"$null = $ExecutionContext.SessionState.Path.SetLocation('{folder}'); $c = New-B24Company -Title Acme -Logo ./logo.png; $null = [IO.Directory]::CreateDirectory('{folder}/saved')");

                var saved = RunOk("(Get-B24Company -Id $c.ID).LOGO | Save-B24File -Path ./saved -PassThru").Output.Single();
                var again = Run("$c.LOGO | Save-B24File -Path ./saved");
                var preview = RunOk("$c.LOGO | Save-B24File -Path ./other.png -WhatIf");

                Assert.Equal(Path.Combine(folder, "saved", "logo.png"), ((FileInfo)saved.BaseObject).FullName);
                Assert.Equal(bytes, File.ReadAllBytes(Path.Combine(folder, "saved", "logo.png")));
                Assert.Contains("exists; -Force overwrites it", Assert.Single(again.Errors).Exception.Message);
                Assert.False(File.Exists(Path.Combine(folder, "other.png")));
                RunOk("$c.LOGO | Save-B24File -Path ./saved -Force");
                // A sign-in page in place of the file is reported, not saved as the file.
                Portal.AnswerNextWithHtml(200, "<html><body>Sign in</body></html>");
                var page = Run("$c.LOGO | Save-B24File -Path ./signin.png");
                Assert.Contains("with a web page, not the file", Assert.Single(page.Errors).Exception.Message);
                Assert.False(File.Exists(Path.Combine(folder, "signin.png")));
            }
            finally
            {
                RunOk("$null = $ExecutionContext.SessionState.Path.SetLocation('/')");
                Directory.Delete(folder, recursive: true);
            }
        }

        [Fact]
        public void AFileThatIsNotThereIsRefusedBeforeAnythingIsSent()
        {
            var contact = Portal.AddRecord("contact", new JObject { ["NAME"] = "Anna" });
            Portal.ClearLog();

            var error = Assert.Single(Run($"Set-B24Contact -Id {contact} -Photo ./no-such-face.png").Errors);

            Assert.Contains("PHOTO", error.Exception.Message);
            Assert.Contains("no-such-face.png", error.Exception.Message);
            Assert.DoesNotContain(Portal.Calls, c => c.Method != "batch");
        }

        // crm/deals/crm-deal-productrows-get.md answers keys crm-deal-productrows-set.md does not take.
        [Fact]
        public void ProductRowsAreReadChangedAndSetBack()
        {
            var deal = AddDeal();
            RunOk($"Set-B24DealProductRow -Id {deal} -Row @{{ PRODUCT_NAME = 'Chair'; PRICE = 150; QUANTITY = 2 }}, @{{ PRODUCT_NAME = 'Desk'; PRICE = 400 }}");
            Portal.ClearLog();

            RunOk($"$rows = Get-B24DealProductRow -Id {deal}; ($rows | Where-Object PRODUCT_NAME -eq 'Desk').PRICE = 450; Set-B24DealProductRow -Id {deal} -Row $rows");

            var sent = (JArray)Assert.Single(Portal.CallsTo("crm.deal.productrows.set")).Parameters["rows"];
            var allowed = Bitrix24.Rest.Crm.DealProductRows.Keys;
            Assert.All(sent.Cast<JObject>().SelectMany(r => r.Properties()), p => Assert.Contains(p.Name, allowed));
            Assert.DoesNotContain(sent.Cast<JObject>(), r => r["CUSTOMIZED"] != null || r["XML_ID"] != null || r["PRICE_ACCOUNT"] != null);
            var now = Portal.GetProductRows(deal);
            Assert.Equal(new[] { 150m, 450m }, now.Select(r => (decimal)r["PRICE"]));
            Assert.Equal("750.00", (string)Portal.GetRecord("deal", deal)["OPPORTUNITY"]);

            var byHand = Assert.Single(Run($"Set-B24DealProductRow -Id {deal} -Row @{{ PRODUCT_NAME = 'X'; XML_ID = 'mine' }}").Errors);
            Assert.Contains("XML_ID", byHand.Exception.Message);
        }

        // universal/crm-item-list.md: fm cannot be named in select and comes with select ['*'];
        // tutorials/crm/how-to-edit-crm-objects/how-to-change-email-or-phone.md: an "n0" key adds, the others stay.
        [Fact]
        public void OnTheItemRouteAContactsPhonesAreReadAndAPhoneIsAddedBesideTheOld()
        {
            var contact = Portal.AddRecord("contact", new JObject { ["NAME"] = "Anna", ["PHONE"] = new JArray(new JObject { ["VALUE"] = "+1 555 0101", ["VALUE_TYPE"] = "WORK" }) });
            RunOk($"Connect-Bitrix24 -WebhookUrl '{Server.WebhookUrl}' -Api Item");
            Portal.ClearLog();

            var listed = RunOk($"Get-B24Contact -Filter @{{ ID = {contact} }} -Select NAME, PHONE").Output.Single();
            RunOk($"Set-B24Contact -Id {contact} -Phone '+1 555 0199'");

            Assert.Equal(new[] { "ID", "NAME", "PHONE" }, listed.Properties.Select(p => p.Name).OrderBy(n => n));
            Assert.Contains("+1 555 0101", listed.Properties["PHONE"].Value.ToString());
            Assert.Null(Assert.Single(Portal.CallsTo("crm.item.list")).Parameters["select"]);
            var fm = (JObject)Assert.Single(Portal.CallsTo("crm.item.update")).Parameters["fields"]["fm"];
            Assert.Equal("n0", Assert.Single(fm.Properties()).Name);
            Assert.Equal("PHONE", (string)fm["n0"]["typeId"]);
            var phones = ((JArray)Portal.GetRecord("contact", contact)["PHONE"]).Select(p => (string)p["VALUE"]);
            Assert.Equal(new[] { "+1 555 0101", "+1 555 0199" }, phones);
        }

        // crm/deals/crm-deal-get.md, crm-deal-list.md: no CONTACT_IDS; crm/contacts/crm-contact-fields.md: no COMPANY_IDS.
        [Fact]
        public void DealsAndContactsAreReadAndPatchedWithoutTheLinkListsTheGetMethodsLeaveOut()
        {
            var contact = Portal.AddRecord("contact", new JObject { ["NAME"] = "Anna" });
            var deal = Portal.AddRecord("deal", new JObject { ["TITLE"] = "With contact", ["CONTACT_IDS"] = new JArray(contact) });
            Portal.ClearLog();

            var read = RunOk($"Get-B24Deal -Id {deal}").Output.Single();
            RunOk($"$d = Get-B24Deal -Id {deal}; $d.TITLE = 'Renamed'; $d | Set-B24Deal");
            var preview = RunOk($"Set-B24DealContact -Id {deal} -ContactId {contact} -WhatIf");

            Assert.Null(read.Properties["CONTACT_IDS"]);
            Assert.Equal(new JObject { ["TITLE"] = "Renamed" }.ToString(), Assert.Single(Portal.CallsTo("crm.deal.update")).Parameters["fields"].ToString());
            Assert.Contains(contact.ToString(), Shell.TakeHostText());
            Assert.Null(RunOk($"Get-B24Contact -Id {contact}").Output.Single().Properties["COMPANY_IDS"]);
        }

        // user/user-get.md: 50 per page; ACTIVE = true leaves out dismissed users.
        [Fact]
        public void TheUserCompleterReadsEveryPageAndLeavesOutDismissedUsers()
        {
            for (var i = 0; i < 60; i++) Portal.AddUser("Worker" + i, "Staff", $"worker{i}@example.com");
            Portal.AddUser("Gone", "Away", "gone@example.com", active: false);
            Portal.ClearLog();

            var line = "Set-B24Lead -Id 1 -AssignedById ";
            var offered = RunOk($"(TabExpansion2 -inputScript '{line}' -cursorColumn {line.Length}).CompletionMatches.ListItemText").Output.Select(o => o.ToString()).ToList();

            Assert.Equal(63, offered.Count);   // the demo's three active users and the 60 added
            Assert.Contains(offered, o => o.EndsWith("Worker59 Staff", StringComparison.Ordinal));
            Assert.DoesNotContain(offered, o => o.Contains("Oleg Petrov") || o.Contains("Gone Away"));
            Assert.Equal(2, Portal.HttpRequestCount);   // the first page, then the other page in one batch
            // true in a JSON body, 1 in a batch command's query string (as PHP's http_build_query writes true).
            Assert.All(Portal.CallsTo("user.get"), c => Assert.Contains(c.Parameters["FILTER"]["ACTIVE"].ToString(), new[] { "True", "1" }));
        }

        // crm/leads/crm-lead-add.md: IS_RETURN_CUSTOMER becomes Y when a lead is added with a company or contact.
        // universal/category/index.md: contacts and companies have pipelines; leads do not.
        [Fact]
        public void TheEmulatorKeepsTheRepeatLeadFlagAndTheContactPipelinesAsDocumented()
        {
            var contact = Portal.AddRecord("contact", new JObject { ["NAME"] = "Anna" });

            var repeat = RunOk($"New-B24Lead -Title 'Again' -ContactId {contact}").Output.Single();
            var categories = RunOk("(Invoke-B24Method crm.category.list @{ entityTypeId = 3 }).categories").Output;
            var leads = Run("Invoke-B24Method crm.category.list @{ entityTypeId = 1 }");

            Assert.Equal(true, repeat.Properties["IS_RETURN_CUSTOMER"].Value);
            Assert.Equal("Y", (string)Portal.GetRecord("lead", (int)repeat.Properties["ID"].Value)["IS_RETURN_CUSTOMER"]);
            Assert.NotEmpty(categories);
            Assert.Contains("ENTITY_TYPE_NOT_SUPPORTED", Assert.Single(leads.Errors).FullyQualifiedErrorId);
        }
    }
}
