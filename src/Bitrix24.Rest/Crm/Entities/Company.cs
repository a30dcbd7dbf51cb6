using System.Linq;

namespace Bitrix24.Rest.Crm
{
    public sealed partial class CrmEntity
    {
        /// <summary>Companies: crm.company.* (api-reference/crm/companies), entityTypeId 4. Their address
        /// and bank details are requisites (crm.requisite.*), not fields of the update method.</summary>
        public static readonly CrmEntity Company = CreateCompany();

        private static CrmEntity CreateCompany()
        {
            // In the order of crm-company-update.md's example (CURRENCY_ID, REVENUE, EMPLOYEES) first.
            var fields = new[]
            {
                ReadOnly("ID", "Id", CrmFieldType.Integer),
                F("CURRENCY_ID", "CurrencyId", CrmFieldType.Currency),
                F("REVENUE", "Revenue", CrmFieldType.Double),
                F("EMPLOYEES", "Employees", CrmFieldType.Status),
                F("TITLE", "Title", CrmFieldType.String),
                F("COMPANY_TYPE", "CompanyType", CrmFieldType.Status),
                F("INDUSTRY", "Industry", CrmFieldType.Status),
                F("OPENED", "Opened", CrmFieldType.Char),
                F("IS_MY_COMPANY", "IsMyCompany", CrmFieldType.Char),
                F("COMMENTS", "Comments", CrmFieldType.String),
                F("ASSIGNED_BY_ID", "AssignedById", CrmFieldType.User),
                // "Contact. Multiple": the company's contacts as a list of ids.
                F("CONTACT_ID", "ContactId", CrmFieldType.IdList),
                F("ORIGINATOR_ID", "OriginatorId", CrmFieldType.String),
                F("ORIGIN_ID", "OriginId", CrmFieldType.String),
                F("ORIGIN_VERSION", "OriginVersion", CrmFieldType.String),
            }
            .Concat(UtmDefinitions())
            .Concat(MultiFieldDefinitions())
            .Concat(new[]
            {
                F("LOGO", "Logo", CrmFieldType.File),
                ReadOnly("LEAD_ID", "LeadId", CrmFieldType.Integer),
                ReadOnly("HAS_PHONE", "HasPhone", CrmFieldType.Char),
                ReadOnly("HAS_EMAIL", "HasEmail", CrmFieldType.Char),
                ReadOnly("HAS_IMOL", "HasImol", CrmFieldType.Char),
            })
            .Concat(SystemDefinitions())
            .ToArray();

            var company = new CrmEntity("Company", "company", 4, fields)
            {
                MultiFieldNames = StandardMultiFields,
                Directories = Map(("COMPANY_TYPE", "COMPANY_TYPE"), ("INDUSTRY", "INDUSTRY"), ("EMPLOYEES", "EMPLOYEES"), ("CURRENCY_ID", "CURRENCY")),
                HasHistoryEvent = true,
                Links = LinkTo("Contact", new CrmLink("crm.company.contact.items", "CONTACT_ID", "CONTACT_ID", null)),
            };
            company.ItemNames(CommonItemNames);
            company.ItemNames(("COMPANY_TYPE", "typeId"), ("CONTACT_ID", "contactIds"));
            return company;
        }
    }
}
