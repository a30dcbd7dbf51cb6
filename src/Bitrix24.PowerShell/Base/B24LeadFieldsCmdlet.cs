using System;
using System.Collections;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Management.Automation;
using System.Reflection;
using Bitrix24.PowerShell.Completers;
using Bitrix24.Rest.Crm.Leads;

namespace Bitrix24.PowerShell.Base
{
    /// <summary>
    /// The lead field parameters shared by the cmdlets that write leads (Set-B24Lead, New-B24Lead): one
    /// typed parameter per documented field, named in PascalCase with the API name as alias, plus
    /// -Fields and -RegisterSonetEvent, and the portal's schema that checks them.
    /// </summary>
    public abstract class B24LeadFieldsCmdlet : B24ConnectedCmdlet
    {
        [Parameter] public string Title { get; set; }
        [Parameter, ArgumentCompleter(typeof(HonorificCompleter))] public string Honorific { get; set; }
        [Parameter] public string Name { get; set; }
        [Parameter, Alias("SECOND_NAME")] public string SecondName { get; set; }
        [Parameter, Alias("LAST_NAME")] public string LastName { get; set; }
        [Parameter] public DateTime Birthdate { get; set; }
        [Parameter] public string Post { get; set; }
        [Parameter] public string Comments { get; set; }
        [Parameter, Alias("STATUS_ID"), ArgumentCompleter(typeof(StatusIdCompleter))] public string StatusId { get; set; }
        [Parameter, Alias("STATUS_DESCRIPTION")] public string StatusDescription { get; set; }
        [Parameter, Alias("SOURCE_ID"), ArgumentCompleter(typeof(SourceIdCompleter))] public string SourceId { get; set; }
        [Parameter, Alias("SOURCE_DESCRIPTION")] public string SourceDescription { get; set; }
        [Parameter] public SwitchParameter Opened { get; set; }
        [Parameter, Alias("IS_MANUAL_OPPORTUNITY")] public SwitchParameter IsManualOpportunity { get; set; }
        // Declared in the order of the documented example, so its request goes out byte for byte as shown.
        [Parameter, Alias("ASSIGNED_BY_ID"), ArgumentCompleter(typeof(UserIdCompleter))] public int AssignedById { get; set; }
        [Parameter, Alias("CURRENCY_ID"), ArgumentCompleter(typeof(CurrencyIdCompleter))] public string CurrencyId { get; set; }
        [Parameter] public decimal Opportunity { get; set; }
        [Parameter, Alias("COMPANY_ID")] public int CompanyId { get; set; }
        [Parameter, Alias("COMPANY_TITLE")] public string CompanyTitle { get; set; }
        [Parameter, Alias("CONTACT_ID")] public int ContactId { get; set; }
        [Parameter, Alias("CONTACT_IDS")] public int[] ContactIds { get; set; }
        [Parameter] public string Address { get; set; }
        [Parameter, Alias("ADDRESS_2")] public string Address2 { get; set; }
        [Parameter, Alias("ADDRESS_CITY")] public string AddressCity { get; set; }
        [Parameter, Alias("ADDRESS_POSTAL_CODE")] public string AddressPostalCode { get; set; }
        [Parameter, Alias("ADDRESS_REGION")] public string AddressRegion { get; set; }
        [Parameter, Alias("ADDRESS_PROVINCE")] public string AddressProvince { get; set; }
        [Parameter, Alias("ADDRESS_COUNTRY")] public string AddressCountry { get; set; }
        [Parameter, Alias("ADDRESS_COUNTRY_CODE")] public string AddressCountryCode { get; set; }
        /// <summary>Phones: strings (new WORK numbers) or hashtables with ID, VALUE, VALUE_TYPE, DELETE.</summary>
        [Parameter] public object[] Phone { get; set; }
        [Parameter] public object[] Email { get; set; }
        [Parameter] public object[] Web { get; set; }
        [Parameter] public object[] Im { get; set; }
        [Parameter] public object[] Link { get; set; }
        [Parameter, Alias("ORIGINATOR_ID")] public string OriginatorId { get; set; }
        [Parameter, Alias("ORIGIN_ID")] public string OriginId { get; set; }
        [Parameter, Alias("UTM_CAMPAIGN")] public string UtmCampaign { get; set; }
        [Parameter, Alias("UTM_CONTENT")] public string UtmContent { get; set; }
        [Parameter, Alias("UTM_MEDIUM")] public string UtmMedium { get; set; }
        [Parameter, Alias("UTM_SOURCE")] public string UtmSource { get; set; }
        [Parameter, Alias("UTM_TERM")] public string UtmTerm { get; set; }

        /// <summary>Any other fields by API name (custom UF_ fields above all).</summary>
        [Parameter]
        public IDictionary Fields { get; set; }

        /// <summary>params.REGISTER_SONET_EVENT = Y: record the change in the activity stream.</summary>
        [Parameter]
        public SwitchParameter RegisterSonetEvent { get; set; }


        /// <summary>The portal's field schema (null if it could not be read: documented fields only).</summary>
        protected LeadSchema Schema { get; private set; }

        protected override void BeginProcessing()
        {
            base.BeginProcessing();
            Schema = ReadSchema(ActiveConnection.Client);
        }

        /// <summary>Each cmdlet's field parameters, found once: parameter name → property and lead field.</summary>
        private static readonly ConcurrentDictionary<Type, (PropertyInfo Property, LeadFieldDefinition Field)[]> FieldParameters =
            new ConcurrentDictionary<Type, (PropertyInfo, LeadFieldDefinition)[]>();

        /// <summary>The field parameters given on the command line (the same for every lead).</summary>
        private List<(PropertyInfo Property, LeadFieldDefinition Field)> _givenFields;

        /// <summary>Adds -Fields, then the typed field parameters (which win), to <paramref name="patch"/>.</summary>
        protected void AddGivenFields(LeadPatch patch)
        {
            if (Fields != null)
                foreach (var pair in PSValue.Pairs(Fields)) patch.Set(pair.Key, PSValue.Unwrap(pair.Value));

            if (_givenFields == null)
            {
                var all = FieldParameters.GetOrAdd(GetType(), type => type.GetProperties()
                    .Where(p => p.GetCustomAttributes<ParameterAttribute>().Any())
                    .Select(p => (Property: p, Field: LeadFieldCatalog.Find(p.Name)))
                    .Where(x => x.Field != null && !x.Field.IsReadOnly)
                    .ToArray());
                _givenFields = all.Where(p => ParameterSpecified(p.Property.Name)).ToList();
            }
            foreach (var (property, field) in _givenFields)
                patch.Set(field.ApiName, PSValue.Unwrap(property.GetValue(this)));
        }

        /// <summary>Fields of a hashtable or plain object (CSV row): every entry but the id. An empty CSV
        /// cell means "leave as is"; clearing a field is said with -Fields @{ NAME = '' }.</summary>
        protected static IEnumerable<KeyValuePair<string, object>> InputFields(PSObject input)
        {
            // The entries are read where they are (no copy of the hashtable for every lead).
            var fromCsvRow = !(input.BaseObject is IDictionary);
            var table = input.BaseObject as IDictionary ?? PSValue.PropertiesOf(input);
            var entries = table.GetEnumerator();   // Key and Value without boxing each entry
            while (entries.MoveNext())
            {
                var name = Convert.ToString(entries.Key, CultureInfo.InvariantCulture);
                if (string.Equals(name, "ID", StringComparison.OrdinalIgnoreCase)) continue;
                var value = PSValue.Unwrap(entries.Value);
                if (fromCsvRow && value is string text && text.Length == 0) continue;
                yield return new KeyValuePair<string, object>(name, value);
            }
        }

    }
}
