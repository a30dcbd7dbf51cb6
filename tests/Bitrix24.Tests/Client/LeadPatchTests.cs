using System.Collections.Generic;
using System.Linq;
using System.Text;
using Bitrix24.Rest.Batch;
using Bitrix24.Rest.Crm;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;
using Xunit;

namespace Bitrix24.Tests.Client
{
    /// <summary>
    /// A patch keeps its fields in a small store of its own (not a JSON object, which cost a dictionary
    /// per lead): it must still behave as the object did — order of first setting, a field set again
    /// keeps its place, values copied out, and the same parameters and wire text.
    /// </summary>
    public class LeadPatchTests
    {
        [Fact]
        public void FieldsKeepTheOrderOfFirstSettingAndASecondSetReplacesInPlace()
        {
            var patch = new CrmPatch(CrmEntity.Lead, 5).Set("TITLE", "first").Set("STATUS_ID", "NEW").Set("COMMENTS", "c").Set("TITLE", "second");

            Assert.Equal(new[] { "TITLE", "STATUS_ID", "COMMENTS" }, patch.FieldNames.ToArray());
            Assert.Equal("second", (string)patch.FieldValue("TITLE"));
            Assert.Null(patch.FieldValue("NAME"));
            Assert.Equal("{\"id\":5,\"fields\":{\"TITLE\":\"second\",\"STATUS_ID\":\"NEW\",\"COMMENTS\":\"c\"}}",
                         patch.ToParameters().ToString(Formatting.None));

            var written = new StringBuilder("crm.lead.update?");
            patch.AppendQuery(written, written.Length);
            Assert.Equal("crm.lead.update?id=5&fields[TITLE]=second&fields[STATUS_ID]=NEW&fields[COMMENTS]=c", written.ToString());
        }

        [Fact]
        public void ManyFieldsGrowTheStoreWithoutLosingAny()
        {
            var names = new[] { "TITLE", "NAME", "LAST_NAME", "POST", "COMMENTS", "ADDRESS_CITY", "UTM_SOURCE", "UTM_MEDIUM", "UTM_TERM" };
            var patch = new CrmPatch(CrmEntity.Lead, 1);
            foreach (var name in names) patch.Set(name, name.ToLowerInvariant());

            Assert.Equal(names, patch.FieldNames.ToArray());
            Assert.Equal(names.Select(n => n.ToLowerInvariant()), names.Select(n => (string)patch.FieldValue(n)));
        }

        [Fact]
        public void FieldsIsACopyThatDoesNotChangeThePatch()
        {
            var patch = new CrmPatch(CrmEntity.Lead, 5).Set("TITLE", "kept");
            var copy = patch.Fields;
            copy["TITLE"] = "changed";
            copy["NAME"] = "added";
            ((JValue)patch.Fields["TITLE"]).Value = "changed too";

            Assert.Equal("kept", (string)patch.FieldValue("TITLE"));
            Assert.Equal(new[] { "TITLE" }, patch.FieldNames.ToArray());
        }

        [Fact]
        public void AnEmptyPatchIsEmptyAndWritesOnlyItsId()
        {
            var patch = new CrmPatch(CrmEntity.Lead, 9);
            Assert.True(patch.IsEmpty);
            Assert.False(patch.Set("TITLE", "x").IsEmpty);
            Assert.Equal("{\"id\":9,\"fields\":{}}", new CrmPatch(CrmEntity.Lead, 9).ToParameters().ToString(Formatting.None));
        }

        public static IEnumerable<object[]> CurrentLeadCases()
        {
            yield return new object[] { new CrmPatch(CrmEntity.Lead, 1).Set("TITLE", "x").Set("STATUS_ID", "NEW"), false };
            // A partial address is completed from the lead's other parts; the whole address needs nothing.
            yield return new object[] { new CrmPatch(CrmEntity.Lead, 1).Set("ADDRESS_CITY", "Riga"), true };
            yield return new object[] { AllAddressParts(new CrmPatch(CrmEntity.Lead, 1)), false };
            // Multi-field entries are checked against what the lead has.
            yield return new object[] { new CrmPatch(CrmEntity.Lead, 1).Set("TITLE", "x").Set("PHONE", new[] { "+1 555" }), true };
            yield return new object[] { new CrmPatch(CrmEntity.Lead, 1).Set("EMAIL", new object[0]), false };
            yield return new object[] { new CrmPatch(CrmEntity.Lead, 1) { ReplaceMultiFields = true }.Set("EMAIL", new object[0]), true };
            yield return new object[] { CrmPatch.ForNew(CrmEntity.Lead).Set("PHONE", new[] { "+1 555" }), false };
        }

        [Theory]
        [MemberData(nameof(CurrentLeadCases))]
        public void APatchNeedsTheCurrentLeadOnlyForPartialAddressesAndMultiFields(CrmPatch patch, bool needs) =>
            Assert.Equal(needs, patch.NeedsCurrentRecord);

        [Fact]
        public void PreparingAPartialAddressSendsTheOtherPartsAsTheLeadHasThem()
        {
            var patch = new CrmPatch(CrmEntity.Lead, 3).Set("TITLE", "t").Set("ADDRESS_CITY", "Riga");
            var current = new JObject { ["ADDRESS"] = "Main 1", ["ADDRESS_POSTAL_CODE"] = "LV-1010", ["ADDRESS_COUNTRY"] = JValue.CreateNull() };
            var notes = new List<string>();

            var prepared = patch.Prepared(current, notes);

            Assert.Equal("Riga", (string)prepared.FieldValue("ADDRESS_CITY"));
            Assert.Equal("Main 1", (string)prepared.FieldValue("ADDRESS"));
            Assert.Equal("LV-1010", (string)prepared.FieldValue("ADDRESS_POSTAL_CODE"));
            Assert.Equal("", (string)prepared.FieldValue("ADDRESS_COUNTRY"));
            Assert.Equal(new[] { "TITLE", "ADDRESS_CITY" }, prepared.FieldNames.Take(2).ToArray());
            Assert.False(prepared.NeedsCurrentRecord);
            Assert.Contains(notes, n => n.Contains("Lead 3") && n.Contains("ADDRESS_POSTAL_CODE"));
        }

        private static CrmPatch AllAddressParts(CrmPatch patch)
        {
            foreach (var part in CrmEntity.Lead.AddressPartNames) patch.Set(part, "p");
            return patch;
        }
    }
}
