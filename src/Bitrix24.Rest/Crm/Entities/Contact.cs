using System.Linq;

namespace Bitrix24.Rest.Crm
{
    public sealed partial class CrmEntity
    {
        /// <summary>Contacts: crm.contact.* (api-reference/crm/contacts), entityTypeId 3.</summary>
        public static readonly CrmEntity Contact = CreateContact();

        private static CrmEntity CreateContact()
        {
            // In the order of crm-contact-update.md's example, so that example goes out as written.
            var fields = new[]
            {
                ReadOnly("ID", "Id", CrmFieldType.Integer),
                F("HONORIFIC", "Honorific", CrmFieldType.Status),
                F("NAME", "Name", CrmFieldType.String),
                F("SECOND_NAME", "SecondName", CrmFieldType.String),
                F("LAST_NAME", "LastName", CrmFieldType.String),
                F("BIRTHDATE", "Birthdate", CrmFieldType.Date),
                F("TYPE_ID", "TypeId", CrmFieldType.Status),
                F("SOURCE_ID", "SourceId", CrmFieldType.Status),
                F("SOURCE_DESCRIPTION", "SourceDescription", CrmFieldType.String),
                F("POST", "Post", CrmFieldType.String),
                F("COMMENTS", "Comments", CrmFieldType.String),
                F("OPENED", "Opened", CrmFieldType.Char),
                F("EXPORT", "Export", CrmFieldType.Char),
                F("ASSIGNED_BY_ID", "AssignedById", CrmFieldType.User),
                F("COMPANY_ID", "CompanyId", CrmFieldType.Company),
                F("COMPANY_IDS", "CompanyIds", CrmFieldType.IdList),
            }
            .Concat(AddressDefinitions())
            .Concat(MultiFieldDefinitions())
            .Concat(new[]
            {
                F("ORIGINATOR_ID", "OriginatorId", CrmFieldType.String), F("ORIGIN_ID", "OriginId", CrmFieldType.String),
                F("ORIGIN_VERSION", "OriginVersion", CrmFieldType.String),
            })
            .Concat(UtmDefinitions())
            .Concat(new[]
            {
                F("PHOTO", "Photo", CrmFieldType.File),
                ReadOnly("LEAD_ID", "LeadId", CrmFieldType.Integer),
                ReadOnly("HAS_PHONE", "HasPhone", CrmFieldType.Char),
                ReadOnly("HAS_EMAIL", "HasEmail", CrmFieldType.Char),
                ReadOnly("HAS_IMOL", "HasImol", CrmFieldType.Char),
                ReadOnly("ADDRESS_LOC_ADDR_ID", "AddressLocAddrId", CrmFieldType.Integer),
            })
            .Concat(SystemDefinitions())
            .ToArray();

            var contact = new CrmEntity("Contact", "contact", 3, fields)
            {
                MultiFieldNames = StandardMultiFields,
                AddressPartNames = StandardAddress,
                Directories = Map(("TYPE_ID", "CONTACT_TYPE"), ("SOURCE_ID", "SOURCE"), ("HONORIFIC", "HONORIFIC")),
                HasHistoryEvent = true,
                Links = LinkTo("Company", new CrmLink("crm.contact.company.items", "COMPANY_ID", "COMPANY_IDS", "COMPANY_ID")),
                NotOnItemRoute = StandardAddress.Concat(new[] { "ADDRESS_LOC_ADDR_ID" }).ToArray(),
            };
            contact.ItemNames(CommonItemNames);
            return contact;
        }
    }
}
