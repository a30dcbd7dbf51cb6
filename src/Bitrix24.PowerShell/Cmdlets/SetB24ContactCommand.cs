using System.Management.Automation;
using Bitrix24.PowerShell.Base;
using Bitrix24.PowerShell.Parameters;
using Bitrix24.Rest.Crm;

namespace Bitrix24.PowerShell.Cmdlets
{
    /// <summary>Changes contacts with crm.contact.update, sending only the fields given or edited.</summary>
    [Cmdlet(VerbsCommon.Set, "B24Contact", SupportsShouldProcess = true, DefaultParameterSetName = IdSet)]
    [OutputType("Bitrix24.Contact")]
    public sealed class SetB24ContactCommand : B24SetEntityCmdlet<ContactFields>
    {
        protected override CrmEntity Entity => CrmEntity.Contact;
    }
}
