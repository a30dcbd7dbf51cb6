using System.Management.Automation;
using Bitrix24.PowerShell.Base;
using Bitrix24.Rest.Crm;

namespace Bitrix24.PowerShell.Cmdlets
{
    /// <summary>Deletes contacts with crm.contact.delete; asks for every one (ConfirmImpact High).</summary>
    [Cmdlet(VerbsCommon.Remove, "B24Contact", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
    public sealed class RemoveB24ContactCommand : B24RemoveEntityCmdlet
    {
        protected override CrmEntity Entity => CrmEntity.Contact;
    }
}
